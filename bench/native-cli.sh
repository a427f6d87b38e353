# Sourced by the benchmarks (needs $root): builds the release CLI the page and sklearn are
# compared with (cargo skips it when fresh); its path in $coresweep.
cargo build --quiet --release --manifest-path "$root/Cargo.toml" -p coresweep-cli --bin coresweep
coresweep="${CARGO_TARGET_DIR:-$root/target}/release/coresweep"
