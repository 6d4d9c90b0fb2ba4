//! Closed-form answers of absorbing Markov chains, for the tests that check
//! the engine against them.

/// Solves `a x = b` by Gaussian elimination with partial pivoting.
pub fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<Vec<f64>>) -> Vec<Vec<f64>> {
    let n = a.len();
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))
            .unwrap();
        a.swap(col, pivot);
        b.swap(col, pivot);
        let (pivot_a, pivot_b) = (a[col].clone(), b[col].clone());
        for (row, (ar, br)) in a.iter_mut().zip(b.iter_mut()).enumerate() {
            if row != col {
                let f = ar[col] / pivot_a[col];
                for (x, p) in ar.iter_mut().zip(&pivot_a) {
                    *x -= f * p;
                }
                for (x, p) in br.iter_mut().zip(&pivot_b) {
                    *x -= f * p;
                }
            }
        }
    }
    (0..n)
        .map(|i| b[i].iter().map(|x| x / a[i][i]).collect())
        .collect()
}

/// Absorption probabilities `B = (I-Q)^-1 R`, mean steps `t = (I-Q)^-1 1`
/// and the variance of the steps `(2N - I) t - t^2`.
pub fn absorbing(q: &[Vec<f64>], r: &[Vec<f64>]) -> (Vec<Vec<f64>>, Vec<f64>, Vec<f64>) {
    let n = q.len();
    let i_minus_q: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| f64::from(u8::from(i == j)) - q[i][j])
                .collect()
        })
        .collect();
    let b = solve(i_minus_q.clone(), r.to_vec());
    let t: Vec<f64> = solve(i_minus_q.clone(), vec![vec![1.0]; n])
        .into_iter()
        .map(|v| v[0])
        .collect();
    let nt: Vec<f64> = solve(i_minus_q, t.iter().map(|&x| vec![x]).collect())
        .into_iter()
        .map(|v| v[0])
        .collect();
    let var = (0..n).map(|i| 2.0 * nt[i] - t[i] - t[i] * t[i]).collect();
    (b, t, var)
}
