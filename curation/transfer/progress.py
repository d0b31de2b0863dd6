"""A progress line for terminals; nothing at all when output goes to a pipe or a file."""

import sys
import time

BAR_WIDTH = 30


class Progress:
    """Rows done of the file's rows. The bar counts rows, not bytes: the file is read ahead of the rows being
    checked and written, so the bytes read run ahead of the work done."""

    def __init__(self, stream=None, *, label: str, total_rows: int | None = None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.label, self.total_rows = label, total_rows
        self.started = time.monotonic()

    def __call__(self, rows: int) -> None:
        if not self.enabled:
            return
        elapsed = max(time.monotonic() - self.started, 1e-6)
        speed = f"{rows / elapsed:,.0f}/s"
        if self.total_rows:
            # The total is counted in lines (curation.transfer.reading.count_rows): a cell spanning lines makes
            # it a little high, so the bar may end short of full, never past it.
            share = min(rows / self.total_rows, 1.0)
            filled = int(share * BAR_WIDTH)
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            text = f"\r{self.label} [{bar}] {share:4.0%} {rows:,} of {self.total_rows:,} rows, {speed}"
        else:
            text = f"\r{self.label}: {rows:,} rows, {speed}"
        self.stream.write(text)
        self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
