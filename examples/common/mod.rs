//! What the benchmark examples share: CPU time as Linux counts it.

/// Nanoseconds the threads of this process have run (Linux's `/proc/self/task/*/schedstat`).
pub fn cpu_nanos() -> u64 {
    let tasks = std::fs::read_dir("/proc/self/task").expect("Linux's /proc");
    tasks
        .filter_map(|task| {
            let stat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
            stat.split_whitespace().next()?.parse::<u64>().ok()
        })
        .sum()
}

/// Nanoseconds the calling thread has run (`/proc/thread-self/schedstat`).
#[allow(dead_code, reason = "not every example reads it")]
pub fn thread_cpu_nanos() -> u64 {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").expect("Linux's /proc");
    stat.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .expect("schedstat's first field")
}
