"""A progress line for terminals; nothing at all when output goes to a pipe or a file."""

import sys
import time


class Progress:
    def __init__(self, stream=None, *, label: str, total_bytes: int | None = None, position=None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.label, self.total_bytes, self.position = label, total_bytes, position
        self.started = time.monotonic()

    def __call__(self, rows: int) -> None:
        if not self.enabled:
            return
        elapsed = max(time.monotonic() - self.started, 1e-6)
        text = f"\r{self.label}: {rows:,} rows, {rows / elapsed:,.0f}/s"
        if self.total_bytes and self.position:
            share = min(self.position() / self.total_bytes, 1.0)
            filled = int(share * 30)
            bar = "#" * filled + "." * (30 - filled)
            text = f"\r{self.label} [{bar}] {share:4.0%} {rows:,} rows, {rows / elapsed:,.0f}/s"
        self.stream.write(text)
        self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
