// Umbrella header for the libzmq system library (Debian: libzmq3-dev, libzmq >= 4.3).
// Only the Transport target imports this module.
#pragma once
#include <zmq.h>
