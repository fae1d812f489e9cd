//! Reference statistics on plain slices, written to match numpy bit for bit (the tools that
//! wrote most of our inputs use numpy): pairwise summation in 8192-element blocks (numpy 1.x),
//! population or sample std, linear (type 7) and nearest-rank percentiles.
//!
//! `metrics.rs` computes the per-run aggregates with polars; this module is the independent
//! reference its tests and the parsers' fidelity tests check against, and what parsers use
//! when they must reproduce a tool's own summary exactly (e.g. FMBench per-chunk values).

/// numpy's pairwise sum of a contiguous float64 array (`np.add.reduce`), as numpy 1.x runs it:
/// the array is fed in buffers of 8192 elements, each summed pairwise, and the block sums are
/// added left to right starting from 0.0.
#[must_use]
pub fn numpy_sum(values: &[f64]) -> f64 {
    const BLOCK: usize = 8192;
    if values.len() <= BLOCK {
        return pairwise(values);
    }
    let mut total = 0.0;
    for block in values.chunks(BLOCK) {
        total += pairwise(block);
    }
    total
}

/// numpy's `pairwise_sum` for one buffer.
fn pairwise(a: &[f64]) -> f64 {
    let n = a.len();
    if n < 8 {
        let mut res = 0.0;
        for &x in a {
            res += x;
        }
        res
    } else if n <= 128 {
        let mut r = [0.0f64; 8];
        r.copy_from_slice(&a[..8]);
        let mut i = 8;
        while i < n - (n % 8) {
            for j in 0..8 {
                r[j] += a[i + j];
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        while i < n {
            res += a[i];
            i += 1;
        }
        res
    } else {
        let mut n2 = n / 2;
        n2 -= n2 % 8;
        pairwise(&a[..n2]) + pairwise(&a[n2..])
    }
}

/// `np.mean`. `None` for an empty slice.
#[must_use]
pub fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    Some(numpy_sum(values) / values.len() as f64)
}

/// `np.std(x, ddof=ddof)`: sqrt(sum((x - mean)^2) / (n - ddof)). `None` when n <= ddof.
#[must_use]
pub fn std(values: &[f64], ddof: usize) -> Option<f64> {
    let n = values.len();
    if n <= ddof {
        return None;
    }
    let m = mean(values)?;
    let sq: Vec<f64> = values.iter().map(|x| (x - m) * (x - m)).collect();
    Some((numpy_sum(&sq) / (n - ddof) as f64).sqrt())
}

/// Sorted copy (NaN last).
#[must_use]
pub fn sorted(values: &[f64]) -> Vec<f64> {
    let mut s = values.to_vec();
    s.sort_by(f64::total_cmp);
    s
}

/// `np.percentile(x, p)` with the default linear method, on already sorted values.
/// `p` in 0..=100. `None` for an empty slice.
#[must_use]
pub fn percentile_linear_sorted(s: &[f64], p: f64) -> Option<f64> {
    let n = s.len();
    if n == 0 {
        return None;
    }
    let h = (n - 1) as f64 * (p / 100.0);
    let lo = h.floor();
    let g = h - lo;
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "0 <= lo < n"
    )]
    let lo = lo as usize;
    let a = s[lo.min(n - 1)];
    let b = s[(lo + 1).min(n - 1)];
    // numpy's _lerp: a + (b-a)*g, or b - (b-a)*(1-g) when g >= 0.5.
    let d = b - a;
    Some(if g < 0.5 {
        a + d * g
    } else {
        b - d * (1.0 - g)
    })
}

/// Nearest-rank percentile (the smallest value with at least p% of values at or below it).
#[must_use]
pub fn percentile_nearest_sorted(s: &[f64], p: f64) -> Option<f64> {
    let n = s.len();
    if n == 0 {
        return None;
    }
    let rank = (p / 100.0 * n as f64).ceil();
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "clamped to 1..=n"
    )]
    let idx = (rank.max(1.0) as usize).min(n) - 1;
    Some(s[idx])
}

/// `np.median` on sorted values.
#[must_use]
pub fn median_sorted(s: &[f64]) -> Option<f64> {
    let n = s.len();
    if n == 0 {
        return None;
    }
    Some(if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_linear_matches_numpy_by_hand() {
        // np.percentile([1,2,3,4], 90) = 3.7: h = 3*0.9 = 2.7, 3 + (4-3)*0.7.
        let s = [1.0, 2.0, 3.0, 4.0];
        let p90 = percentile_linear_sorted(&s, 90.0).expect("value");
        assert!((p90 - 3.7).abs() < 1e-12, "{p90}");
        assert_eq!(percentile_linear_sorted(&s, 50.0), Some(2.5));
        assert_eq!(percentile_linear_sorted(&[7.0], 99.0), Some(7.0));
    }

    #[test]
    fn nearest_rank() {
        let s = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(percentile_nearest_sorted(&s, 50.0), Some(2.0));
        assert_eq!(percentile_nearest_sorted(&s, 90.0), Some(4.0));
        assert_eq!(percentile_nearest_sorted(&s, 25.0), Some(1.0));
    }

    #[test]
    fn std_population_and_sample() {
        // values 2,4,4,4,5,5,7,9: population std exactly 2; sample std sqrt(32/7).
        let v = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        assert_eq!(std(&v, 0), Some(2.0));
        assert!((std(&v, 1).expect("n>1") - (32.0f64 / 7.0).sqrt()).abs() < 1e-15);
        assert_eq!(mean(&v), Some(5.0));
        assert_eq!(median_sorted(&sorted(&v)), Some(4.5));
    }

    #[test]
    fn pairwise_sum_differs_from_naive_like_numpy() {
        // 0.1 summed ten times: naive left-to-right gives 0.9999999999999999; numpy's
        // pairwise (8 accumulators, then the tail) gives 1.0 for n = 10.
        let v = [0.1; 10];
        assert_eq!(numpy_sum(&v), 1.0);
        let naive: f64 = v.iter().sum();
        assert_eq!(naive, 0.9999999999999999);
    }
}
