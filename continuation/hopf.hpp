#pragma once
// Hopf points of a branch: a complex pair of the stability linearisation
// (Problem::stability_eigenvalues) crossing the imaginary axis.
//
// Test function: the determinant of the bialternate product 2 J (.) I, which
// equals prod_{i<j} (lambda_i + lambda_j) over the eigenvalues of J. It is a
// polynomial in the entries of J (continuous along the branch, also where a
// complex pair turns into two real eigenvalues), and it vanishes where two
// eigenvalues sum to zero: at a Hopf point (a pair +-i omega) or at a neutral
// saddle (two real eigenvalues +-r). It is computed here from the eigenvalues
// (the problems are small), with the product clamped to +-1e300.
//
// Classification at a located zero (as MatCont and BifurcationKit do): it is
// a Hopf point only when the factor nearest zero belongs to a complex-conjugate
// pair with a frequency above rounding, and when the number of eigenvalues with
// positive real part among the complex ones (BifurcationKit's n_unstable among
// n_imag) differs by two between the points that bracket it: the pair's real
// part really changed sign. Neutral saddles are not reported.
#include <Eigen/Core>

namespace waddington::continuation {

// prod_{i<j} (lambda_i + lambda_j) (real part), clamped to [-1e300, 1e300];
// 1 for fewer than two eigenvalues, NaN if an eigenvalue is not finite.
double bialternate_test_function(const Eigen::VectorXcd& eigenvalues);

// Eigenvalues with a positive real part and |imaginary part| above
// `imag_tolerance` times max(1, the spectral radius).
int unstable_complex_count(const Eigen::VectorXcd& eigenvalues, double imag_tolerance);

// The complex-conjugate pair whose sum is nearest zero, if it is the factor
// of the test function nearest zero (else found = false: a neutral saddle or
// no pair).
struct CrossingPair {
  bool found = false;
  double real = 0;       // real part of the pair
  double frequency = 0;  // |imaginary part| (omega > 0)
};
CrossingPair crossing_pair(const Eigen::VectorXcd& eigenvalues, double imag_tolerance);

}  // namespace waddington::continuation
