//! Tests of the drawing: identical bytes, stable colours, the registry, axes.

use super::*;
use crate::view::charts::{Axis, Bar, RefAxis, Reference, Series, Style};

fn series(name: &str, points: &[(f64, f64)]) -> Series {
    Series {
        name: name.into(),
        points: points.to_vec(),
        style: Style::PointsLine,
        legend: true,
        colour: None,
    }
}

fn xy_spec(stem: &str, series: Vec<Series>) -> ChartSpec {
    ChartSpec {
        stem: stem.into(),
        kind: ChartKind::Xy,
        title: "E2E latency p99 vs output throughput".into(),
        alt: "alt".into(),
        x: Axis {
            name: "Output throughput".into(),
            unit: "tokens/s".into(),
        },
        y: Axis {
            name: "E2E latency p99".into(),
            unit: "ms".into(),
        },
        frontier: vec![(10.0, 5.0), (1000.0, 900.0)],
        references: vec![Reference {
            axis: RefAxis::Y,
            value: 800.0,
            label: "budget e2e_ms.p99 ≤ 800".into(),
        }],
        series,
        bars: Vec::new(),
        note: String::new(),
    }
}

fn bars_spec() -> ChartSpec {
    ChartSpec {
        stem: "bars".into(),
        kind: ChartKind::Bars,
        title: "Cost per 1M output tokens per configuration, cheapest first".into(),
        alt: "alt".into(),
        x: Axis {
            name: "Cost per 1M output tokens".into(),
            unit: "USD".into(),
        },
        y: Axis {
            name: "Configuration".into(),
            unit: String::new(),
        },
        series: Vec::new(),
        frontier: Vec::new(),
        references: Vec::new(),
        bars: vec![
            Bar {
                label: "g5.2xlarge · c=4".into(),
                value: 0.5,
                pass: Some(true),
            },
            Bar {
                label: "g6e.xlarge · c=8".into(),
                value: 2.25,
                pass: Some(false),
            },
        ],
        note: "Every bar: model".into(),
    }
}

#[test]
fn the_same_spec_draws_the_same_bytes() {
    let spec = xy_spec(
        "x",
        vec![
            series(
                "model · a · vllm",
                &[(10.0, 5.0), (100.0, 50.0), (1000.0, 900.0)],
            ),
            series("model · b · tgi", &[(20.0, 40.0), (200.0, 400.0)]),
        ],
    );
    for spec in [spec, bars_spec()] {
        let a = draw(&spec).expect("draws");
        let b = draw(&spec).expect("draws");
        assert!(a == b, "{}: two drawings differ", spec.stem);
        assert!(a.png.starts_with(b"\x89PNG\r\n\x1a\n"));
        // No time or text chunk that could change between builds.
        for chunk in [b"tIME", b"tEXt", b"iTXt", b"zTXt"] {
            assert!(!a.png.windows(4).any(|w| w == chunk), "{}", spec.stem);
        }
        assert!(a.svg.starts_with("<svg"), "{}", &a.svg[..40]);
        assert!(a.svg.contains("DejaVu Sans"));
    }
}

fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

#[test]
fn a_series_has_the_same_colour_in_every_chart() {
    let name = "meta-llama/Llama-3.1-8B-Instruct · g5.2xlarge · vllm";
    let first = xy_spec(
        "one",
        vec![
            series(name, &[(1.0, 2.0), (3.0, 4.0)]),
            series("other", &[(2.0, 2.0)]),
        ],
    );
    // Another chart, other series before it: the colour does not follow the order.
    let second = xy_spec(
        "two",
        vec![
            series("z first", &[(5.0, 5.0)]),
            series("y second", &[(6.0, 6.0)]),
            series(name, &[(7.0, 8.0)]),
        ],
    );
    let colour = hex(series_colour(name));
    for spec in [first, second] {
        let svg = draw(&spec).expect("draws").svg;
        assert!(svg.contains(&colour), "{}: no {colour}", spec.stem);
    }
    assert_eq!(series_marker(name), series_marker(name));
    assert!(PALETTE.contains(&series_colour("anything")));
}

#[test]
fn every_kind_is_registered() {
    for kind in [ChartKind::Xy, ChartKind::Bars] {
        assert_eq!(
            KINDS.iter().filter(|k| k.kind == kind).count(),
            1,
            "{kind:?}"
        );
    }
}

#[test]
fn axes_over_two_orders_of_magnitude_are_logarithmic() {
    let log = style::Scale::fit(&[5.0, 900.0]);
    assert!(log.log);
    // Ticks at 1-2-5 steps of each decade inside the range.
    let ticks: Vec<String> = log.ticks.iter().map(|t| log.label(*t)).collect();
    // The 4 % padding takes the axis past 1000.
    assert_eq!(ticks, ["5", "10", "20", "50", "100", "200", "500", "1000"]);
    let lin = style::Scale::fit(&[5.0, 400.0]);
    assert!(!lin.log);
    assert_eq!(lin.lo, 0.0);
    let ticks: Vec<String> = lin.ticks.iter().map(|t| lin.label(*t)).collect();
    assert_eq!(ticks, ["0", "100", "200", "300", "400"]);
    assert_eq!(style::number(15_000.0), "15k");
    assert_eq!(style::number(0.125), "0.125");
    assert_eq!(style::number(2.5e6), "2.5M");
    assert_eq!(
        style::truncate_middle("abcdefghijklmnop", 11),
        "abcd…klmnop"
    );
    assert_eq!(style::truncate_middle("short", 11), "short");
}

#[test]
fn hostile_names_stay_text_in_the_svg() {
    let name = "<script>alert(1)</script> & \"x\" ](javascript:y)";
    let mut spec = xy_spec("h", vec![series(name, &[(1.0, 2.0), (3.0, 4.0)])]);
    spec.title = format!("{name} vs load");
    let svg = draw(&spec).expect("draws").svg;
    assert!(!svg.contains("<script"), "{svg}");
    assert!(svg.contains("&lt;script&gt;") || svg.contains("&lt;script>"));
}
