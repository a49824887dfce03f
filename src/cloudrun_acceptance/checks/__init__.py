"""Pure judgements: observations and the contract in, a Verdict out. No I/O happens here."""
