# Sourced by the benchmarks (needs $root): the venv with the scikit-learn that coresweep is
# compared with, $root/.bench-venv, made once (idempotent); its interpreter in $python.
sklearn_version="1.9.1"
venv="$root/.bench-venv"
if ! "$venv/bin/python" -c "import sklearn, sys; sys.exit(sklearn.__version__ != '$sklearn_version')" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "scikit-learn==$sklearn_version"
fi
python="$venv/bin/python"
