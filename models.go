package gospice

// The MOSFET models of levels other than 1 live in packages of their own, which register
// themselves with the devices package when imported.
import _ "github.com/gospice/gospice/devices/bsim3"
