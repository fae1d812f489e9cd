//! Horizontal bars, one per configuration, in the order the spec gives (cheapest at the
//! top): passing runs green, failing (or unknown) runs rose, runs without budgets blue, with
//! the value at the end of each bar.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{number, truncate, truncate_middle, Scale, FONT};
use crate::view::charts::ChartSpec;

const WIDTH: u32 = 960;
const ROW: u32 = 24;
const CHROME: u32 = 150;
const LEGEND: u32 = 30;
const NOTE: u32 = 24;
const LABEL_CHARS: usize = 60;

const PASS: RGBColor = RGBColor(0x11, 0x77, 0x33);
const FAIL: RGBColor = RGBColor(0xCC, 0x66, 0x77);
const NO_BUDGET: RGBColor = RGBColor(0x44, 0x77, 0xAA);

/// Fixed width; one row per bar.
pub fn size(spec: &ChartSpec) -> (u32, u32) {
    let n = u32::try_from(spec.bars.len()).unwrap_or(u32::MAX / 64);
    let note = if spec.note.is_empty() { 0 } else { NOTE };
    (WIDTH, CHROME + LEGEND + note + n * ROW)
}

fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

fn colour(pass: Option<bool>) -> RGBColor {
    match pass {
        Some(true) => PASS,
        Some(false) => FAIL,
        None => NO_BUDGET,
    }
}

/// Draw the chart.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &ChartSpec,
) -> Result<(), String> {
    let n = spec.bars.len();
    let values: Vec<f64> = spec.bars.iter().map(|b| b.value).collect();
    let mut sx = Scale::fit(&values);
    if !sx.log {
        sx = Scale::fit(&[values.as_slice(), &[0.0]].concat());
    }
    // Room at the right for the value labels.
    sx.hi += (sx.hi - sx.lo) * 0.12;
    let (_, h) = root.dim_in_pixel();
    let note = if spec.note.is_empty() { 0 } else { NOTE };
    let (plot, legend) = root.split_vertically(h.saturating_sub(LEGEND + note));
    let top = n as f64 - 0.5;
    // Bar i sits at y = n − 1 − i so the first bar is at the top.
    let y_of = |i: usize| (n - 1 - i) as f64;
    let yticks: Vec<f64> = (0..n).map(y_of).collect();
    let mut chart = ChartBuilder::on(&plot)
        .caption(&spec.title, (FONT, 20))
        .margin(14)
        .x_label_area_size(52)
        .y_label_area_size(440)
        .build_cartesian_2d(
            sx.clone(),
            Scale {
                log: false,
                lo: -0.5,
                hi: top,
                ticks: yticks,
            },
        )
        .map_err(err)?;
    let labels: Vec<String> = spec
        .bars
        .iter()
        .map(|b| truncate_middle(&b.label, LABEL_CHARS))
        .collect();
    let yf = |v: &f64| {
        let k = v.round();
        if k < 0.0 {
            return String::new();
        }
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "0 ≤ k < n"
        )]
        let k = k as usize;
        n.checked_sub(1 + k)
            .and_then(|i| labels.get(i))
            .cloned()
            .unwrap_or_default()
    };
    let xf = |v: &f64| sx.label(*v);
    let x_desc = format!(
        "{}{}",
        spec.x.label(),
        if sx.log { ", log scale" } else { "" }
    );
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .x_label_formatter(&xf)
        .y_label_formatter(&yf)
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 15))
        .bold_line_style(RGBColor(0xE4, 0xE4, 0xE4))
        .light_line_style(TRANSPARENT)
        .disable_y_mesh()
        .draw()
        .map_err(err)?;
    let base = sx.lo;
    for (i, b) in spec.bars.iter().enumerate() {
        let Some(v) = sx.to_plot(b.value) else {
            continue;
        };
        let y = y_of(i);
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(base, y - 0.34), (v, y + 0.34)],
                colour(b.pass).filled(),
            )))
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((v, y))
                    + Text::new(
                        number(b.value),
                        (5, -7),
                        (FONT, 13).into_font().color(&BLACK),
                    ),
            ))
            .map_err(err)?;
    }
    let mut kinds: Vec<Option<bool>> = spec.bars.iter().map(|b| b.pass).collect();
    kinds.sort();
    kinds.dedup();
    let mut x = 92;
    for k in kinds {
        let label = match k {
            Some(true) => "passes every budget",
            Some(false) => "fails a budget (or cannot be checked)",
            None => "no budget configured",
        };
        legend
            .draw(&Rectangle::new([(x, 8), (x + 14, 22)], colour(k).filled()))
            .map_err(err)?;
        legend
            .draw(&Text::new(
                label,
                (x + 20, 7),
                (FONT, 14).into_font().color(&BLACK),
            ))
            .map_err(err)?;
        x += 40 + i32::try_from(label.len()).unwrap_or(0) * 8;
    }
    if !spec.note.is_empty() {
        legend
            .draw(&Text::new(
                truncate(&spec.note, 110),
                (92, 32),
                (FONT, 14).into_font().color(&BLACK),
            ))
            .map_err(err)?;
    }
    Ok(())
}
