import subprocess
import sys


def test_parsing_imports_no_django():
    code = "import sys, replies.parsing; from replies.parsing import pipeline; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
