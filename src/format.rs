//! Deterministic number formatting for pages and exports. Every displayed number goes through
//! here so that the same input gives byte-identical output.

use rust_decimal::prelude::*;

/// Full-precision float text: Rust's shortest round-trip form (`0.1`, `1250`, `1e-7` never
/// appears: exponents are expanded). Non-finite values print as `inf`, `-inf`, `NaN`.
#[must_use]
pub fn float(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let s = format!("{v}");
    if s.contains('e') || s.contains('E') {
        // Rust's Display never uses exponents for f64, but keep the contract explicit.
        return format!("{v:.17}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string();
    }
    s
}

/// A float rounded half-to-even to `places` decimals, via its exact decimal value.
#[must_use]
pub fn fixed(v: f64, places: u32) -> String {
    if !v.is_finite() {
        return float(v);
    }
    match Decimal::from_f64_retain(v) {
        Some(d) => {
            let r = d.round_dp_with_strategy(places, RoundingStrategy::MidpointNearestEven);
            let mut s = r.to_string();
            pad_places(&mut s, places);
            s
        }
        None => format!("{v:.prec$}", prec = places as usize),
    }
}

/// Money: Decimal rounded half-to-even to `places`, with `$` and thousands separators.
#[must_use]
pub fn money(d: Decimal, places: u32) -> String {
    let r = d.round_dp_with_strategy(places, RoundingStrategy::MidpointNearestEven);
    let mut s = r.abs().to_string();
    pad_places(&mut s, places);
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(a, b)| (a, b));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if r.is_sign_negative() && !r.is_zero() {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}${grouped}")
    } else {
        format!("{sign}${grouped}.{frac}")
    }
}

/// Significant-digit display used in tables: 4 significant digits for small numbers, no
/// more than 2 decimals for large ones (`0.0123`, `12.35`, `1234.57`).
#[must_use]
pub fn table(v: f64) -> String {
    if !v.is_finite() {
        return float(v);
    }
    let a = v.abs();
    let places = if a == 0.0 {
        0
    } else if a >= 100.0 {
        1
    } else if a >= 1.0 {
        2
    } else if a >= 0.01 {
        4
    } else {
        6
    };
    if places == 0 {
        return "0".into();
    }
    fixed(v, places)
}

/// A ratio as a percentage with two decimals (`0.0123` → `1.23%`).
#[must_use]
pub fn percent(v: f64) -> String {
    format!("{}%", fixed(v * 100.0, 2))
}

fn pad_places(s: &mut String, places: u32) {
    if places == 0 {
        return;
    }
    let have = s.split_once('.').map_or(0, |(_, f)| f.len());
    if have == 0 && !s.contains('.') {
        s.push('.');
    }
    for _ in have..places as usize {
        s.push('0');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn money_groups_and_rounds_half_even() {
        assert_eq!(
            money(Decimal::from_str("5884.109916").expect("d"), 3),
            "$5,884.110"
        );
        assert_eq!(money(Decimal::from_str("0.0125").expect("d"), 3), "$0.012");
        assert_eq!(
            money(Decimal::from_str("54.1796445").expect("d"), 3),
            "$54.180"
        );
        assert_eq!(
            money(Decimal::from_str("1234567").expect("d"), 2),
            "$1,234,567.00"
        );
    }

    #[test]
    fn fixed_uses_exact_binary_value() {
        // 0.165 as f64 is 0.16500000000000000777… → 0.17; 0.125 is an exact tie → 0.12 (half-even).
        assert_eq!(fixed(0.165, 2), "0.17");
        assert_eq!(fixed(0.125, 2), "0.12");
        assert_eq!(fixed(2.5, 0), "2");
        assert_eq!(fixed(1.0, 2), "1.00");
    }

    #[test]
    fn float_is_shortest_roundtrip() {
        assert_eq!(float(0.1), "0.1");
        assert_eq!(float(1250.0), "1250");
        assert_eq!(float(f64::INFINITY), "inf");
    }
}
