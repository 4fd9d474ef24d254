"""wxshop: playbooks and HTML reports for shops that sell through WeChat."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("wxshop")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["__version__"]
