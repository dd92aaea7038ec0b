"""Edits a curator makes, shared by the rebuild and preview tests."""

# One more paper at the end of a shipped listing
# (whose last line has no line break, hence the leading one).
LISTING = "2025-11-13-8564cca4cc7b9d26.txt"
NEW_TITLE = "Zebra Finches Learn Sparse Attention Kernels"
NEW_PAPER = "/papers/zebra-finches-learn-sparse-attention-kernels/"
NEW_BLOCK = (
    f"\n{NEW_TITLE}\n\n"
    "We train zebra finches on sparse attention kernels. The birds match a transformer baseline "
    "on three song benchmarks while using a tenth of the energy.\n\n"
    "  • 3 authors\n·\nNov 10 4\n"
)
