//! Charts (README "Charts"): draws a [`ChartSpec`] of the view model as SVG and as PNG with
//! plotters. The view decides what a chart shows (`view/charts.rs`); this module only draws,
//! and never reads parsers or the evaluation.
//!
//! Reproducible bytes: text is set in DejaVu Sans compiled into the binary
//! (`assets/fonts/`, registered with plotters' ab_glyph support; no system font is ever
//! looked up), sizes are fixed, the PNG is encoded here with fixed settings and no timestamp,
//! and a series' colour and marker come from a hash of its name, never from its position, so
//! one series looks the same in every chart of a site.
//!
//! One file per way of drawing ([`KINDS`]): `xy.rs` (points and lines, log axes, Pareto
//! frontier, budget lines, legend below the plot) and `bars.rs` (sorted horizontal bars).

mod bars;
mod style;
#[cfg(test)]
mod tests;
mod text;
mod xy;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::error::OutputError;
use crate::view::charts::{ChartKind, ChartSpec};

pub use style::{series_colour, series_marker, Marker, PALETTE};

/// A chart drawn in both formats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawnChart {
    /// The SVG document.
    pub svg: String,
    /// The PNG file.
    pub png: Vec<u8>,
}

/// How one kind of chart is drawn: its pixel size for a spec, and the drawing itself.
pub struct KindEntry {
    /// The kind.
    pub kind: ChartKind,
    /// Its name in messages.
    pub name: &'static str,
    /// Width and height in pixels for this spec (legends and bars add height).
    pub size: fn(&ChartSpec) -> (u32, u32),
}

/// The registry of chart kinds.
pub const KINDS: [KindEntry; 2] = [
    KindEntry {
        kind: ChartKind::Xy,
        name: "xy",
        size: xy::size,
    },
    KindEntry {
        kind: ChartKind::Bars,
        name: "bars",
        size: bars::size,
    },
];

fn entry(kind: ChartKind) -> &'static KindEntry {
    // Every kind has its entry (a test checks it); the first is the fallback.
    KINDS.iter().find(|k| k.kind == kind).unwrap_or(&KINDS[0])
}

/// Draw on any plotters backend: the kind's own function.
fn draw_on<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &ChartSpec,
) -> Result<(), String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    match spec.kind {
        ChartKind::Xy => xy::draw(root, spec),
        ChartKind::Bars => bars::draw(root, spec),
    }?;
    root.present().map_err(|e| e.to_string())
}

/// Draw `spec` as SVG and PNG.
///
/// # Errors
/// plotters refused to draw (a bug: specs are checked when built) or the PNG encoder failed.
pub fn draw(spec: &ChartSpec) -> Result<DrawnChart, OutputError> {
    style::register_font();
    let fail = |message: String| OutputError::Chart {
        stem: spec.stem.clone(),
        message,
    };
    let kind = entry(spec.kind);
    let (w, h) = (kind.size)(spec);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        draw_on(&root, spec).map_err(|m| fail(format!("{} (svg): {m}", kind.name)))?;
    }
    let mut rgb = vec![0u8; w as usize * h as usize * 3];
    {
        let backend = text::Png::new(&mut rgb, (w, h), style::FONT_BYTES)
            .ok_or_else(|| fail("the embedded font cannot be read".into()))?;
        let root = backend.into_drawing_area();
        draw_on(&root, spec).map_err(|m| fail(format!("{} (png): {m}", kind.name)))?;
    }
    let png = encode_png(&rgb, w, h).map_err(|e| fail(format!("png: {e}")))?;
    Ok(DrawnChart { svg, png })
}

/// Draw every spec, on up to four threads (charts are independent; each one's bytes do not
/// depend on the thread that drew it), in the order given.
///
/// # Errors
/// As [`draw`], the first failure in the order given.
pub fn draw_all(specs: &[&ChartSpec]) -> Result<Vec<DrawnChart>, OutputError> {
    style::register_font();
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, 4)
        .min(specs.len().max(1));
    let chunk = specs.len().div_ceil(threads).max(1);
    let parts: Vec<Vec<Result<DrawnChart, OutputError>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = specs
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(|s| draw(s)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    vec![Err(OutputError::Chart {
                        stem: String::new(),
                        message: "a drawing thread panicked".into(),
                    })]
                })
            })
            .collect()
    });
    parts.into_iter().flatten().collect()
}

/// An RGB buffer as a PNG with fixed settings (no time, no text chunks).
fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Fast);
        let mut writer = enc.write_header()?;
        writer.write_image_data(rgb)?;
        writer.finish()?;
    }
    Ok(out)
}
