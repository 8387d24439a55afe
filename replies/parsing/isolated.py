"""Run the parser in a child process under a memory ceiling and time budgets. Pure Python: no Django here.

A hostile file (a decompression bomb, a page with a 40 000 x 40 000 image, hundreds of pages sharing one costly
stream) can exhaust memory or hold pdfium inside one C call that no Python timer interrupts. So the parse runs in
`python -m replies.parsing.isolated FILE LIMITS`, its address space capped with RLIMIT_AS; the parent reads the
child's progress lines, kills its whole process group (tesseract included) when the file's time budget or one
page's budget runs out, and turns every way the child can end into a result or a ParseError with a reason.

Protocol: the child writes one JSON object a line on stdout: {"progress": [done, total]} after each page, then
{"result": {...}} or {"error": "message for the user"}.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import ParseError

__all__ = ["Sandbox", "parse_file_isolated"]

_MB = 1024 * 1024
_ROOT = Path(__file__).resolve().parents[2]  # the folder holding the replies package


@dataclass(frozen=True)
class Sandbox:
    """What one parse may use: address space of the child (tesseract included, each process on its own),
    seconds without a page finishing, and how often the parent calls its heartbeat while it waits."""

    memory_bytes: int = 2048 * _MB
    page_seconds: float = 120.0
    heartbeat_seconds: float = 10.0


def _unsafe(reason: str) -> ParseError:
    return ParseError(f"文件无法安全解析：{reason}")


def parse_file_isolated(
    path: str | os.PathLike,
    *,
    limits=None,
    sandbox: Sandbox | None = None,
    progress: Callable[[int, int], None] | None = None,
    heartbeat: Callable[[], None] | None = None,
) -> dict:
    """Parse the file in a child process; return ParseResult.to_dict(). Raises ParseError for a file that cannot
    be parsed safely (too slow, too much memory, the child crashed) as for any unreadable file, and
    FileNotFoundError when the file is missing. The child is always gone when this returns or raises."""
    from .extract import Limits

    limits = limits or Limits()
    sandbox = sandbox or Sandbox()
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(str(path))
    arguments = json.dumps({"limits": asdict(limits), "memory_bytes": sandbox.memory_bytes})
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")]))}
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "replies.parsing.isolated", str(path), arguments],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr, env=env, cwd=_ROOT,
            start_new_session=True,  # its own process group: tesseract dies with it
        )
        try:
            outcome = _follow(process, limits=limits, sandbox=sandbox, progress=progress, heartbeat=heartbeat)
        finally:
            _kill(process)
        if outcome is not None:
            kind, value = outcome
            if kind == "result":
                return value
            raise ParseError(value)
        stderr.seek(0)
        tail = stderr.read()[-2000:].decode("utf-8", "replace")
    code = process.returncode
    if "MemoryError" in tail or "bad_alloc" in tail or "out of memory" in tail.lower():
        raise _memory_error(sandbox)
    if code is not None and code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        raise _unsafe(f"解析进程异常终止（{name}），可能超出内存上限 {sandbox.memory_bytes // _MB} MB"
                      f"（the parser process died: {name}）")
    raise _unsafe(f"解析进程异常退出（exit {code}）（the parser process exited with {code}）")


def _memory_error(sandbox: Sandbox) -> ParseError:
    return _unsafe(f"解析所需内存超过上限 {sandbox.memory_bytes // _MB} MB"
                   f"（memory limit of {sandbox.memory_bytes // _MB} MB exceeded）")


def _follow(process, *, limits, sandbox, progress, heartbeat):
    """Read the child's lines until it ends; ("result", dict), ("error", message) or None if it said neither."""
    started = time.monotonic()
    deadline = started + limits.timeout + 5  # the child watches limits.timeout itself; this is the backstop
    page_deadline = started + sandbox.page_seconds
    next_beat = started + sandbox.heartbeat_seconds
    done = 0
    buffer = b""
    fd = process.stdout.fileno()
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            now = time.monotonic()
            if now >= deadline:
                raise ParseError(f"处理超时，超过 {limits.timeout:g} 秒（time limit exceeded: {limits.timeout:g} s）")
            if now >= page_deadline:
                raise _unsafe(f"第 {done + 1} 页处理超过 {sandbox.page_seconds:g} 秒"
                              f"（page {done + 1} took longer than {sandbox.page_seconds:g} s）")
            if heartbeat is not None and now >= next_beat:
                heartbeat()
                next_beat = time.monotonic() + sandbox.heartbeat_seconds
            if not selector.select(timeout=max(min(deadline, page_deadline, next_beat) - now, 0.01)):
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                message = json.loads(line)
                if "progress" in message:
                    now_done, total = message["progress"]
                    if now_done > done:
                        page_deadline = time.monotonic() + sandbox.page_seconds
                    done = now_done
                    if progress is not None:
                        progress(now_done, total)
                elif "result" in message:
                    return "result", message["result"]
                elif "error" in message:
                    return "error", message["error"]
    return None


def _kill(process) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait()
    process.stdout.close()


# ---------------------------------------------------------------------------------------------------- the child


def _child(path: str, arguments: str) -> int:
    import resource

    options = json.loads(arguments)
    memory = int(options["memory_bytes"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    out = sys.stdout

    def say(message: dict) -> None:
        out.write(json.dumps(message, ensure_ascii=False) + "\n")
        out.flush()

    try:
        from . import parse_file
        from .extract import Limits

        limits = Limits(**options["limits"])
        result = parse_file(path, limits=limits, progress=lambda done, total: say({"progress": [done, total]}))
        say({"result": result.to_dict()})
    except ParseError as error:
        say({"error": str(error)})
    except MemoryError:
        say({"error": str(_memory_error_for(memory))})
    except OSError as error:
        say({"error": f"无法打开文件（cannot open file: {error.strerror or error}）"})
    except Exception as error:  # a parser bug: reported as such, with the traceback on stderr for the log
        import traceback

        traceback.print_exc()
        say({"error": f"解析程序出错（{type(error).__name__}），请联系管理员。"})
    return 0


def _memory_error_for(memory: int) -> ParseError:
    return _memory_error(Sandbox(memory_bytes=memory))


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1], sys.argv[2]))
