//! The CPU time of one frame of Home, a study session and Statistics at full
//! scale (100 000 questions, 1 000 000 reviews), drawn headless by
//! egui_kittest. Nothing heavy may happen per frame: the figures behind each
//! screen are worked out when it opens. `cargo bench --bench frames`.

mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use egui::Key;
use egui_kittest::Harness;

use recall::study::Study;
use recall::ui::{App, Screen};

use support::{NOW, ThreadCpu};

/// The app on the full corpus in a 1100×800 window, after `keys` are
/// pressed on Home and the frames they cause have run.
fn app_after(keys: &[Key]) -> Harness<'static, App> {
    let study = Study::open(&support::paths()).map_err(|e| e.to_string());
    let app = App::new(study, Box::new(|| NOW));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1100.0, 800.0))
        .build_eframe(|cc| {
            recall::ui::setup(&cc.egui_ctx);
            app
        });
    harness.run();
    for &key in keys {
        harness.key_press(key);
        harness.run();
    }
    harness
}

fn frames(c: &mut Criterion<ThreadCpu>) {
    let mut group = c.benchmark_group("frame");
    for (name, keys, wanted) in [
        ("Home", &[][..], "Home"),
        ("a study session", &[Key::Enter][..], "Session"),
        ("Statistics", &[Key::S][..], "Stats"),
    ] {
        let mut harness = app_after(keys);
        let shown = match harness.state().screen() {
            Screen::Home => "Home",
            Screen::Session(_) => "Session",
            Screen::Stats(_) => "Stats",
            _ => "another screen",
        };
        assert_eq!(shown, wanted, "the keys {keys:?} open {wanted}");
        group.bench_function(name, |b| b.iter(|| harness.step()));
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(ThreadCpu);
    targets = frames
}
criterion_main!(benches);
