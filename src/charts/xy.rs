//! Points and lines on two numeric axes: latency vs throughput, cost vs latency, load sweeps,
//! CDFs, throughput per GPU. Log axes where a range spans more than two orders of magnitude,
//! the Pareto frontier as a wide grey band under the series, budgets as dashed black lines,
//! and the legend below the plot so it never covers a point.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{marker_corners, series_colour, series_marker, truncate, Scale, FONT, PALETTE};
use crate::view::charts::{ChartSpec, RefAxis, Style};

const WIDTH: u32 = 960;
const PLOT_HEIGHT: u32 = 540;
const LEGEND_ROW: u32 = 22;
const LEGEND_PAD: u32 = 10;
const FRONTIER: RGBColor = RGBColor(0xC8, 0xC8, 0xC8);

/// What the legend lists, in order.
enum Entry<'a> {
    Series(&'a str, Style, Option<usize>),
    Frontier,
    Reference(&'a str),
}

fn entries(spec: &ChartSpec) -> Vec<Entry<'_>> {
    let mut out: Vec<Entry<'_>> = spec
        .series
        .iter()
        .filter(|s| s.legend)
        .map(|s| Entry::Series(&s.name, s.style, s.colour))
        .collect();
    if !spec.frontier.is_empty() {
        out.push(Entry::Frontier);
    }
    out.extend(spec.references.iter().map(|r| Entry::Reference(&r.label)));
    out
}

/// Fixed width; the legend adds one row per entry.
pub fn size(spec: &ChartSpec) -> (u32, u32) {
    let rows = u32::try_from(entries(spec).len()).unwrap_or(u32::MAX / 2);
    (WIDTH, PLOT_HEIGHT + 2 * LEGEND_PAD + rows * LEGEND_ROW)
}

fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// Draw the chart.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &ChartSpec,
) -> Result<(), String> {
    let mut xs: Vec<f64> = Vec::new();
    let mut ys: Vec<f64> = Vec::new();
    for s in &spec.series {
        xs.extend(s.points.iter().map(|p| p.0));
        ys.extend(s.points.iter().map(|p| p.1));
    }
    for r in &spec.references {
        match r.axis {
            RefAxis::X => xs.push(r.value),
            RefAxis::Y => ys.push(r.value),
        }
    }
    let (sx, sy) = (Scale::fit(&xs), Scale::fit(&ys));
    let to = |p: &(f64, f64)| Some((sx.to_plot(p.0)?, sy.to_plot(p.1)?));

    let (plot, legend) = root.split_vertically(PLOT_HEIGHT);
    let mut chart = ChartBuilder::on(&plot)
        .caption(&spec.title, (FONT, 20))
        .margin(14)
        .x_label_area_size(52)
        .y_label_area_size(78)
        .build_cartesian_2d(sx.clone(), sy.clone())
        .map_err(err)?;
    let log_note = |s: &Scale| if s.log { ", log scale" } else { "" };
    let x_desc = format!("{}{}", spec.x.label(), log_note(&sx));
    let y_desc = format!("{}{}", spec.y.label(), log_note(&sy));
    let xf = |v: &f64| sx.label(*v);
    let yf = |v: &f64| sy.label(*v);
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_label_formatter(&xf)
        .y_label_formatter(&yf)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
        .bold_line_style(RGBColor(0xE4, 0xE4, 0xE4))
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(err)?;

    if spec.frontier.len() >= 2 {
        let pts: Vec<(f64, f64)> = spec.frontier.iter().filter_map(to).collect();
        chart
            .draw_series(LineSeries::new(pts, FRONTIER.stroke_width(9)))
            .map_err(err)?;
    }
    for r in &spec.references {
        let line: Vec<(f64, f64)> = match r.axis {
            RefAxis::Y => match sy.to_plot(r.value) {
                Some(v) => vec![(sx.lo, v), (sx.hi, v)],
                None => continue,
            },
            RefAxis::X => match sx.to_plot(r.value) {
                Some(v) => vec![(v, sy.lo), (v, sy.hi)],
                None => continue,
            },
        };
        chart
            .draw_series(DashedLineSeries::new(line, 8, 5, BLACK.stroke_width(1)))
            .map_err(err)?;
    }
    // Thin companions first, so the thick lines sit on top.
    let mut order: Vec<&crate::view::charts::Series> = spec.series.iter().collect();
    order.sort_by_key(|s| s.style != Style::ThinLine);
    for s in order {
        let colour = colour_of(&s.name, s.colour);
        let pts: Vec<(f64, f64)> = s.points.iter().filter_map(to).collect();
        match s.style {
            Style::PointsLine | Style::Line => {
                chart
                    .draw_series(LineSeries::new(pts.clone(), colour.stroke_width(2)))
                    .map_err(err)?;
            }
            Style::ThinLine => {
                chart
                    .draw_series(LineSeries::new(
                        pts.clone(),
                        colour.mix(0.8).stroke_width(1),
                    ))
                    .map_err(err)?;
            }
            Style::Points => {}
        }
        if matches!(s.style, Style::PointsLine | Style::Points) {
            let style = colour.filled();
            match marker_corners(series_marker(&s.name), 4) {
                None => chart
                    .draw_series(
                        pts.iter()
                            .map(|p| EmptyElement::at(*p) + Circle::new((0, 0), 4, style)),
                    )
                    .map_err(err)?,
                Some(c) => chart
                    .draw_series(
                        pts.iter()
                            .map(|p| EmptyElement::at(*p) + Polygon::new(c.clone(), style)),
                    )
                    .map_err(err)?,
            };
        }
    }
    draw_legend(&legend, spec)
}

/// A series' colour: its palette index when the spec gives one, else its name's.
fn colour_of(name: &str, index: Option<usize>) -> RGBColor {
    index.map_or_else(|| series_colour(name), |i| PALETTE[i % PALETTE.len()])
}

fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spec: &ChartSpec,
) -> Result<(), String> {
    let text = (FONT, 14).into_font().color(&BLACK);
    for (i, e) in entries(spec).iter().enumerate() {
        let row = i32::try_from(i).unwrap_or(0);
        let y = LEGEND_PAD as i32 + row * LEGEND_ROW as i32 + LEGEND_ROW as i32 / 2;
        let (x0, x1) = (92, 124);
        let label = match e {
            Entry::Series(name, st, index) => {
                let colour = colour_of(name, *index);
                if *st != Style::Points {
                    area.draw(&PathElement::new(
                        vec![(x0, y), (x1, y)],
                        colour.stroke_width(2),
                    ))
                    .map_err(err)?;
                }
                if matches!(st, Style::PointsLine | Style::Points) {
                    let c = (x0 + x1) / 2;
                    match marker_corners(series_marker(name), 4) {
                        None => area.draw(&Circle::new((c, y), 4, colour.filled())),
                        Some(pts) => area.draw(&Polygon::new(
                            pts.into_iter()
                                .map(|(dx, dy)| (c + dx, y + dy))
                                .collect::<Vec<_>>(),
                            colour.filled(),
                        )),
                    }
                    .map_err(err)?;
                }
                (*name).to_string()
            }
            Entry::Frontier => {
                area.draw(&PathElement::new(
                    vec![(x0, y), (x1, y)],
                    FRONTIER.stroke_width(9),
                ))
                .map_err(err)?;
                "Pareto frontier (no run is better on both axes)".to_string()
            }
            Entry::Reference(label) => {
                area.draw(&PathElement::new(
                    vec![(x0, y), (x1, y)],
                    BLACK.stroke_width(1),
                ))
                .map_err(err)?;
                (*label).to_string()
            }
        };
        area.draw(&Text::new(
            truncate(&label, 100),
            (x1 + 10, y - 8),
            text.clone(),
        ))
        .map_err(err)?;
    }
    Ok(())
}
