import Sweep
