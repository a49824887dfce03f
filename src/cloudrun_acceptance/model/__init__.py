"""Plain frozen dataclasses, errors and clocks: stdlib only; imports nothing else of the package."""
