//! What every chart shares: the embedded font, the series palette and markers, axis ranges
//! and ticks, and number labels.

use std::sync::Once;

use plotters::prelude::*;

/// The font family every chart uses. plotters writes it into the SVG as `font-family`, so a
/// browser without DejaVu Sans falls back to its sans-serif.
pub const FONT: &str = "DejaVu Sans, sans-serif";

/// DejaVu Sans 2.37 (Debian's fonts-dejavu-core; license in assets/fonts/DejaVuSans-LICENSE).
pub static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Register [`FONT`] with plotters once per process.
pub fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // A font that cannot be parsed would fail every drawing with "font unavailable".
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES);
    });
}

/// Colour-blind-safe series colours: Paul Tol's "muted" scheme (nine colours, told apart
/// under the common colour-vision deficiencies). Black is kept for budget lines, grey for the
/// Pareto frontier.
pub const PALETTE: [RGBColor; 9] = [
    RGBColor(0xCC, 0x66, 0x77),
    RGBColor(0x33, 0x22, 0x88),
    RGBColor(0xDD, 0xCC, 0x77),
    RGBColor(0x11, 0x77, 0x33),
    RGBColor(0x88, 0xCC, 0xEE),
    RGBColor(0x88, 0x22, 0x55),
    RGBColor(0x44, 0xAA, 0x99),
    RGBColor(0x99, 0x99, 0x33),
    RGBColor(0xAA, 0x44, 0x99),
];

/// Marker shapes; with the nine colours, 36 looks tell series apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// A filled circle.
    Circle,
    /// A filled square.
    Square,
    /// A filled triangle.
    Triangle,
    /// A filled diamond.
    Diamond,
}

const MARKERS: [Marker; 4] = [
    Marker::Circle,
    Marker::Square,
    Marker::Triangle,
    Marker::Diamond,
];

/// FNV-1a: a fixed hash (std's hasher is seeded per process).
fn fnv(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The colour of a series, from its name alone.
#[must_use]
pub fn series_colour(name: &str) -> RGBColor {
    PALETTE[(fnv(name) % PALETTE.len() as u64) as usize]
}

/// The marker of a series, from its name alone (other bits of the hash than the colour's).
#[must_use]
pub fn series_marker(name: &str) -> Marker {
    MARKERS[((fnv(name) / PALETTE.len() as u64) % MARKERS.len() as u64) as usize]
}

/// The corners of a marker around its centre, in pixels; `None` for a circle.
#[must_use]
pub fn marker_corners(shape: Marker, s: i32) -> Option<Vec<(i32, i32)>> {
    match shape {
        Marker::Circle => None,
        Marker::Square => Some(vec![(-s, -s), (s, -s), (s, s), (-s, s)]),
        Marker::Triangle => Some(vec![(0, -s - 1), (s + 1, s), (-s - 1, s)]),
        Marker::Diamond => Some(vec![(0, -s - 1), (s + 1, 0), (0, s + 1), (-s - 1, 0)]),
    }
}

/// One axis as drawn: its range in plotting space (log10 of the value on a log axis) and
/// its ticks.
#[derive(Debug, Clone)]
pub struct Scale {
    /// Log axis: plotting space is log10 of the value.
    pub log: bool,
    /// Range in plotting space.
    pub lo: f64,
    /// Range in plotting space.
    pub hi: f64,
    /// Tick positions in plotting space.
    pub ticks: Vec<f64>,
}

impl Scale {
    /// Fit `values` (data and reference lines): log when every value is positive and they
    /// span more than two orders of magnitude; a linear axis of values that are never
    /// negative starts at 0, so lengths compare honestly.
    #[must_use]
    pub fn fit(values: &[f64]) -> Scale {
        let v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        let min = v.iter().copied().fold(f64::INFINITY, f64::min);
        let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if v.is_empty() {
            return Scale::linear(0.0, 1.0);
        }
        if min > 0.0 && max / min > 100.0 {
            let (lo, hi) = (min.log10(), max.log10());
            let pad = (hi - lo) * 0.04;
            return Scale::log(lo - pad, hi + pad);
        }
        let (mut lo, mut hi) = (min, max);
        if (hi - lo).abs() < f64::EPSILON * hi.abs().max(1.0) {
            let d = if hi == 0.0 { 1.0 } else { hi.abs() * 0.1 };
            lo -= d;
            hi += d;
        }
        let pad = (hi - lo) * 0.05;
        let lo = if min >= 0.0 { 0.0 } else { lo - pad };
        Scale::linear(lo, hi + pad)
    }

    fn linear(lo: f64, hi: f64) -> Scale {
        let raw = (hi - lo) / 6.0;
        let mag = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .iter()
            .map(|m| m * mag)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * mag);
        let mut ticks = Vec::new();
        let mut t = (lo / step).ceil() * step;
        while t <= hi + step * 1e-9 {
            // Snap -0.0 and float noise (0.30000000000000004) to the step's grid.
            ticks.push(((t / step).round() * step) + 0.0);
            t += step;
        }
        Scale {
            log: false,
            lo,
            hi,
            ticks,
        }
    }

    fn log(lo: f64, hi: f64) -> Scale {
        let mut ticks = Vec::new();
        let decades = hi - lo;
        let mults: &[f64] = if decades < 3.0 {
            &[1.0, 2.0, 5.0]
        } else {
            &[1.0]
        };
        let mut d = lo.floor();
        while d <= hi.ceil() {
            for m in mults {
                let t = m.log10() + d;
                if t >= lo && t <= hi {
                    ticks.push(t);
                }
            }
            d += 1.0;
        }
        Scale {
            log: true,
            lo,
            hi,
            ticks,
        }
    }

    /// A value in plotting space; `None` when a log axis cannot show it.
    #[must_use]
    pub fn to_plot(&self, v: f64) -> Option<f64> {
        if !v.is_finite() {
            None
        } else if self.log {
            (v > 0.0).then(|| v.log10())
        } else {
            Some(v)
        }
    }

    /// The value at a plotting-space position.
    #[must_use]
    pub fn value_at(&self, p: f64) -> f64 {
        if self.log {
            10f64.powf(p)
        } else {
            p
        }
    }

    /// The tick label at a plotting-space position.
    #[must_use]
    pub fn label(&self, p: f64) -> String {
        number(self.value_at(p))
    }
}

/// A [`Scale`] is plotters' coordinate: linear in plotting space, its ticks the only key
/// points (no light grid lines), labelled by the chart's own formatter.
impl Ranged for Scale {
    type ValueType = f64;
    type FormatOption = plotters::coord::ranged1d::DefaultFormatting;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let span = limit.1 - limit.0;
        if span == 0 || self.hi <= self.lo {
            return limit.1;
        }
        let share = (v - self.lo) / (self.hi - self.lo);
        let px = (f64::from(span) * share + 1e-3).floor();
        #[allow(
            clippy::cast_possible_truncation,
            reason = "clamped to the pixel range"
        )]
        let px = px.clamp(-1e6, 1e6) as i32;
        limit.0 + px
    }

    fn key_points<Hint: plotters::coord::ranged1d::KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}

/// A short number for a tick or a bar: `0`, `0.25`, `12.5`, `850`, `1.2k`, `15k`, `2.5M`.
#[must_use]
pub fn number(v: f64) -> String {
    let a = v.abs();
    let (x, suffix) = if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e4 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let ax = x.abs();
    let text = if ax == 0.0 {
        "0".to_string()
    } else if ax >= 100.0 {
        format!("{x:.0}")
    } else if ax >= 10.0 {
        format!("{x:.1}")
    } else if ax >= 1.0 {
        format!("{x:.2}")
    } else if ax >= 0.01 {
        format!("{x:.3}")
    } else {
        format!("{x:.1e}")
    };
    let text = if text.contains('.') && !text.contains('e') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    format!("{text}{suffix}")
}

/// `text` cut to `max` characters with an ellipsis.
#[must_use]
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// `text` cut to `max` characters by an ellipsis in the middle, so both ends stay (a bar's
/// label starts with its series and ends with its dataset and load).
#[must_use]
pub fn truncate_middle(text: &str, max: usize) -> String {
    let n = text.chars().count();
    if n <= max {
        return text.to_string();
    }
    let head = max.saturating_sub(1) * 2 / 5;
    let tail = max.saturating_sub(1) - head;
    let mut s: String = text.chars().take(head).collect();
    s.push('…');
    s.extend(text.chars().skip(n - tail));
    s
}
