//! The result of `slimfile verify`: a typed structure, written as JSON (`--format json`, what
//! `verify/run.sh` keeps in `verify/results/` and `verify/table.py` reads) or as text for people.
//!
//! Fields are declared in alphabetical order, the order of the keys in the JSON files; a field without a
//! value is left out.

use serde::{Deserialize, Serialize};
use slimfile_core::{Bytes, Status};

use super::run::tail;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Same,
    Different,
    Failed,
    Refused,
    Unchanged,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VerifyResult {
    /// Why the verdict is `different`, one sentence each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub differences: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    /// Why the verdict is `failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// slimfile's estimate of each final image (uncompressed).
    pub estimate: Estimates,
    pub file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub images: Option<Images>,
    /// What was masked before comparing the outputs, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub masked: Vec<Masked>,
    pub name: String,
    pub reasons: Vec<String>,
    pub runtime_image: Option<String>,
    pub status: Status,
    pub strategy: Option<String>,
    pub verdict: Verdict,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Estimates {
    pub original: Option<Bytes>,
    pub rewritten: Option<Bytes>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Images {
    pub original: ImageResult,
    /// Absent when the original did not build or run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rewritten: Option<ImageResult>,
}

impl Images {
    pub fn sides(&self) -> impl Iterator<Item = (&'static str, &ImageResult)> {
        std::iter::once(("original", &self.original)).chain(self.rewritten.iter().map(|r| ("rewritten", r)))
    }
}

/// One image: how it was built, its real size against the estimate, and what it did.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageResult {
    /// The estimate's error on the layers above the base image, in percent of the real size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added_error_percent: Option<f64>,
    /// The real size of the layers above the base image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added_size: Option<u64>,
    /// The real size of the image the final stage starts from (0 for scratch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_size: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_seconds: Option<f64>,
    /// The Dockerfile built: the original or the rewrite, with the stand-ins of the map.
    pub dockerfile: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimate_added: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimate_base: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimate_error_percent: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit: Option<i32>,
    /// A server that exited before it answered and was started once more: what the first start said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_start_error: Option<String>,
    /// The `--health-cmd` checks, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub health: Vec<HealthResult>,
    /// The image's own HEALTHCHECK (from its configuration), run as the `--health-cmd` checks are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<HealthResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    pub image: String,
    /// What the run printed (stdout, then `[stderr]` and stderr), or the server's answer's body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_error: Option<String>,
    /// The original's second run, which tells what varies from run to run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_run: Option<Box<SecondRun>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    pub stand_ins: Vec<StandIn>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within_range: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StandIn {
    pub from: String,
    pub to: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SecondRun {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_error: Option<String>,
}

/// One health check in one image.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HealthResult {
    /// As given to `--health-cmd`; for the image's own HEALTHCHECK, its test as the image's configuration
    /// holds it (`["CMD", …]`, `["CMD-SHELL", "…"]`).
    pub command: String,
    /// `None`: it could not run (or did not end in time); `error` says why.
    pub exit: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub output: String,
}

impl HealthResult {
    pub fn passed(&self) -> bool {
        self.exit == Some(0)
    }
}

/// Something masked before the outputs were compared.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Masked {
    /// Why: `--mask REGEX`, or that the original's two runs differ there.
    pub reason: String,
    /// The line of the original's output (absent for `--mask`, which applies everywhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// What was masked: for two runs, the first run's text then the second's; for `--mask`, examples.
    pub text: Vec<String>,
    /// In how many places.
    pub count: usize,
}

pub fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// Signed error of an estimate against the real size, in percent of the real size, to a tenth.
pub fn error_percent(estimate: u64, real: u64) -> f64 {
    if real == 0 {
        return 0.0;
    }
    ((estimate as f64 - real as f64) / real as f64 * 1000.0).round() / 10.0
}

/// The text report.
pub fn render(r: &VerifyResult) -> String {
    let mut s = format!("{}: {}\n", r.file, match r.verdict {
        Verdict::Same => "the rewritten image behaves the same",
        Verdict::Different => "the rewritten image behaves DIFFERENTLY",
        Verdict::Failed => "verification FAILED",
        Verdict::Refused => "slimfile refused to convert it; nothing to verify",
        Verdict::Unchanged => "unchanged; nothing to verify",
    });
    if matches!(r.verdict, Verdict::Refused | Verdict::Unchanged) {
        for reason in &r.reasons {
            s.push_str(&format!("  reason: {reason}\n"));
        }
    }
    if let Some(images) = &r.images {
        render_images(&mut s, r, images);
    }
    for m in &r.masked {
        let at = m.line.map_or(String::new(), |l| format!(" (line {l})"));
        let what: Vec<String> = m.text.iter().map(|t| format!("{t:?}")).collect();
        s.push_str(&format!("  masked{at}: {} — {}\n", what.join(" / "), m.reason));
    }
    if let Some(e) = &r.error {
        s.push_str(&format!("  error: {e}\n"));
    }
    for d in &r.differences {
        s.push_str(&format!("  difference: {d}\n"));
    }
    if r.verdict == Verdict::Different {
        for (side, image) in r.images.iter().flat_map(Images::sides) {
            s.push_str(&format!("  --- {side} output:\n{}\n", tail(image.output.as_deref().unwrap_or(""), 15)));
        }
    }
    s
}

fn render_images(s: &mut String, r: &VerifyResult, images: &Images) {
    s.push_str(&format!("  {:<10} {:>12} {:>12} {:>9}  {}\n", "image", "real size", "estimate", "error", "behaviour"));
    for (side, e) in images.sides() {
        let est = if side == "original" { r.estimate.original } else { r.estimate.rewritten };
        let real = e.size.map_or("-".to_owned(), mb);
        let estimate = est.map_or("-".to_owned(), |t| format!("{} ({}–{})", mb(t.typical), t.low / 1_000_000, t.high / 1_000_000));
        let err = e.estimate_error_percent.map_or("-".to_owned(), |p| format!("{p:+.0}%"));
        let bytes = e.output.as_deref().map_or(0, str::len);
        let beh = match (e.http_status, e.exit) {
            (Some(st), _) => format!("HTTP {st}, {bytes} bytes"),
            (None, Some(x)) => format!("exit {x}, {bytes} bytes of output"),
            (None, None) => "-".to_owned(),
        };
        s.push_str(&format!("  {side:<10} {real:>12} {estimate:>12} {err:>9}  {beh}\n"));
    }
    for (side, e) in images.sides() {
        if let Some(first) = &e.first_start_error {
            s.push_str(&format!(
                "  warning: the {side} server was started twice; the first time {}\n",
                first.strip_prefix("the server ").unwrap_or(first)
            ));
        }
        let checks = e.health.iter().map(|h| ("health check", h)).chain(e.healthcheck.iter().map(|h| ("HEALTHCHECK", h)));
        for (what, h) in checks {
            let how = match (h.exit, &h.error) {
                (Some(0), _) => "passes".to_owned(),
                (Some(x), _) => format!("fails (exit {x})"),
                (None, Some(e)) => format!("did not run: {e}"),
                (None, None) => "did not run".to_owned(),
            };
            s.push_str(&format!("  {what} in the {side} image: {} {how}\n", h.command));
            if !h.passed() && !h.output.trim().is_empty() {
                s.push_str(&format!("{}\n", tail(&h.output, 10)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(verdict: Verdict, images: Option<Images>) -> VerifyResult {
        VerifyResult {
            differences: vec![],
            engine: None,
            error: None,
            estimate: Estimates::default(),
            file: "Dockerfile".to_owned(),
            images,
            masked: vec![],
            name: "app".to_owned(),
            reasons: vec![],
            runtime_image: None,
            status: Status::Converted,
            strategy: None,
            verdict,
        }
    }

    #[test]
    fn a_second_start_is_said() {
        let ok = ImageResult { http_status: Some(200), output: Some("ok".to_owned()), ..ImageResult::default() };
        let rewritten = ImageResult {
            first_start_error: Some("the server exited (exit status: 1) before answering on port 8080".to_owned()),
            ..ok.clone()
        };
        let text = render(&result(Verdict::Same, Some(Images { original: ok, rewritten: Some(rewritten) })));
        assert!(
            text.ends_with("  warning: the rewritten server was started twice; the first time exited (exit status: 1) before answering on port 8080\n"),
            "{text}"
        );
    }

    #[test]
    fn error_is_relative_to_the_real_size() {
        assert_eq!(error_percent(110, 100), 10.0);
        assert_eq!(error_percent(90, 100), -10.0);
        assert_eq!(error_percent(1, 3), -66.7);
    }

    /// Every result `verify/run.sh` committed reads into the typed result and writes back with the same
    /// keys and values (what `verify/table.py` adds, and nulls, aside): the JSON format is unchanged.
    #[test]
    fn committed_results_read_and_write_the_same() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../verify/results");
        let mut read = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let mut raw: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            for key in ["note", "seconds", "expect", "estimated_by"] {
                raw.as_object_mut().unwrap().remove(key);
            }
            drop_nulls(&mut raw);
            let typed: VerifyResult = serde_json::from_value(raw.clone()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let mut written = serde_json::to_value(&typed).unwrap();
            drop_nulls(&mut written);
            assert_eq!(written, raw, "{}", path.display());
            read += 1;
        }
        assert!(read >= 10, "{read} results");
    }

    fn drop_nulls(v: &mut serde_json::Value) {
        if let Some(map) = v.as_object_mut() {
            map.retain(|_, x| !x.is_null());
            map.values_mut().for_each(drop_nulls);
        } else if let Some(list) = v.as_array_mut() {
            list.iter_mut().for_each(drop_nulls);
        }
    }
}
