//! What the benchmarks share: the full-scale corpus, built once into
//! Cargo's temporary folder and reused, and a clock that measures the CPU
//! time of the benchmarking thread.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};

use recall::clock::Timestamp;
use recall::corpus::{Spec, write};
use recall::store::SCHEMA_VERSION;
use recall::study::Paths;

/// The corpus's history ends at 2026-11-27 00:00 UTC.
const END: Timestamp = Timestamp(1_795_737_600_000);

/// When the benchmarks study: 10:00 UTC on the corpus's last day.
pub const NOW: Timestamp = Timestamp(END.0 + 10 * 3_600_000);

/// The full-scale corpus's data folder (100 000 questions, 1 000 000
/// reviews). The first run writes it, in about 7 s; later runs reuse it.
/// `RECALL_BENCH_CORPUS` puts it elsewhere.
pub fn corpus() -> &'static Path {
    static DATA: OnceLock<PathBuf> = OnceLock::new();
    DATA.get_or_init(|| {
        let out = std::env::var_os("RECALL_BENCH_CORPUS")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus"));
        let spec = Spec::full(END);
        let done = out.join("written");
        // A corpus written by an older schema is written again, not upgraded.
        let wanted = format!("{spec:?} schema {SCHEMA_VERSION}");
        if std::fs::read_to_string(&done).ok().as_deref() != Some(wanted.as_str()) {
            eprintln!("writing the benchmark corpus into {}", out.display());
            if out.exists() {
                std::fs::remove_dir_all(&out).expect("the old corpus can be removed");
            }
            write(&out, &spec).expect("the corpus can be written");
            std::fs::write(&done, wanted).expect("the corpus can be marked done");
        }
        out.join("data")
    })
}

/// The corpus's paths, as `recall --data-dir` would have them.
pub fn paths() -> Paths {
    Paths::resolve(Some(corpus().to_path_buf()), Vec::new()).expect("the paths resolve")
}

/// The CPU time this thread has used.
fn thread_cpu() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec, and CLOCK_THREAD_CPUTIME_ID
    // is always available on Linux.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "the thread's CPU clock reads");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// Measures the benchmarking thread's CPU time instead of the wall clock:
/// time spent waiting (on fsync, say) does not count.
pub struct ThreadCpu;

impl Measurement for ThreadCpu {
    type Intermediate = Duration;
    type Value = Duration;

    fn start(&self) -> Duration {
        thread_cpu()
    }

    fn end(&self, started: Duration) -> Duration {
        thread_cpu().saturating_sub(started)
    }

    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        const WALL: &WallTime = &WallTime;
        WALL.formatter()
    }
}
