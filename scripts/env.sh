# Sourced by the scripts: the environment every build and run of the engine needs.
# Debian's libtorch spins libgomp threads unless told not to (3x slower steps); see docs/ENGINE.md.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-passive}"
# A libtorch folder other than Debian's (e.g. the PyPI wheel's site-packages/torch) is used when LIBTORCH is set.
if [[ -n "${LIBTORCH:-}" ]]; then
  export LD_LIBRARY_PATH="$LIBTORCH/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
