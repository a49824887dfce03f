"""Pure judgements: observations and the contract in, a Verdict out; imports model and metrics."""
