"""The built documentation site, in a real headless browser, and every internal link of it.

Not part of the main test run (``testpaths = ["tests"]``): it needs a built site and
Debian's Chromium with its driver. CI (``.ci/run``) builds the site, installs both if absent
and runs ``python -m pytest -p no:cacheprovider docs/tests``. By hand::

    python -m sphinx -W -q -b html docs docs/_build/html
    sudo apt-get install chromium chromium-driver
    python -m pytest -p no:cacheprovider docs/tests

``MINERALCALC_SITE`` points the test at another built site (default ``docs/_build/html``).
The test never skips: a missing site or browser fails it, saying how to get them.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import pytest

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

SITE = Path(
    os.environ.get("MINERALCALC_SITE", Path(__file__).resolve().parents[1] / "_build" / "html")
)
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

# The pages opened in the browser, relative to the site's root, and whether each must show
# at least one figure (a loaded <img> in its content). Every image a page has must load.
HOME = "index.html"
API_PAGE = "reference/generated/mineralcalc.Demand.html"
GALLERY_PAGE = "gallery/recycling_2040.html"
NOTEBOOK_PAGE = "notebooks/first-analysis.html"
PAGES: dict[str, bool] = {HOME: False, API_PAGE: False, GALLERY_PAGE: True, NOTEBOOK_PAGE: True}

BUILD_HINT = (
    'build it with `python -m pip install -e ".[docs]" && '
    "python -m sphinx -W -q -b html docs docs/_build/html`, or point MINERALCALC_SITE at a "
    "built site"
)
BROWSER_HINT = (
    "install Debian's browser and its driver: `sudo apt-get install chromium chromium-driver`"
)
PAGE_LOAD_TIMEOUT = 60  # seconds, for a page and its images (a local server: far more than needed)

# The browser's options: headless, no sandbox (CI runs as root in a container), and none of
# Chromium's own background traffic (updates, sync, field trials, QUIC probes): the machine's
# network may be closed, and those refused connections would flood the log.
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def _require_site() -> Path:
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no built site at {SITE} (no index.html): {BUILD_HINT}", pytrace=False)
    return SITE


# --- the served site and the browser ---------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep the test's output free of one line per request."""


class _Session:
    """The site served over http and a headless browser, both started on first use.

    Started from inside a test (not by a fixture), so that a missing site or browser FAILS
    the test with its hint rather than erroring its setup. The site is served on 127.0.0.1,
    a free port: file:// gives the theme's scripts errors a real visitor never sees.
    """

    def __init__(self, profile: Path) -> None:
        self.profile = profile  # a fresh Chromium profile: a first visit, nothing cached
        self.server: http.server.ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None
        self.driver: WebDriver | None = None

    def base_url(self) -> str:
        """The served site's root URL, ending in '/'."""
        if self.server is None:
            handler = functools.partial(_QuietHandler, directory=str(_require_site()))
            self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
            self.thread.start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def browser(self) -> WebDriver:
        """Debian's headless Chromium driven by its chromedriver, logging the console."""
        if self.driver is None:
            self.driver = _start_browser(self.profile)
        return self.driver

    def close(self) -> None:
        """Quit the browser and stop the server, whichever were started."""
        if self.driver is not None:
            self.driver.quit()
        if self.server is not None and self.thread is not None:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join()


def _start_browser(profile: Path) -> WebDriver:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.is_file()]
    if missing:
        pytest.fail(f"{' and '.join(missing)} not found: {BROWSER_HINT}", pytrace=False)
    try:
        from selenium import webdriver
    except ImportError:
        pytest.fail(
            'selenium is not installed: `python -m pip install -e ".[docs]"`', pytrace=False
        )

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=str(CHROMEDRIVER))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(PAGE_LOAD_TIMEOUT)
    return driver


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Session]:
    """One server and one browser for all the pages of this module."""
    session = _Session(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield session
    finally:
        session.close()


# Scrolls every image of the content into view (a lazy image loads only when visible), then
# reports each one's state; the caller polls until none is still loading.
_IMAGES_JS = """
const imgs = Array.from(document.querySelectorAll('main img, article img'));
imgs.forEach(i => i.scrollIntoView({block: 'center'}));
return imgs.map(i => ({src: i.currentSrc || i.src, complete: i.complete,
                       width: i.naturalWidth}));
"""


@pytest.mark.parametrize("page", list(PAGES))
def test_page_renders(session: _Session, page: str) -> None:
    """The page loads with a title and content, no console error, and its figures load."""
    _require_site()
    assert (SITE / page).is_file(), f"{page} is not in the built site {SITE}: {BUILD_HINT}"
    base_url = session.base_url()
    browser = session.browser()
    browser.get_log("browser")  # drop the previous page's entries
    browser.get(base_url + page)

    deadline = time.monotonic() + PAGE_LOAD_TIMEOUT
    while True:
        ready = browser.execute_script("return document.readyState")
        images = browser.execute_script(_IMAGES_JS)
        loading = ready != "complete" or not all(i["complete"] for i in images)
        if not loading or time.monotonic() > deadline:
            break
        time.sleep(0.1)

    # Every problem of the page, reported together.
    problems: list[str] = []
    if loading:
        problems.append(f"still loading after {PAGE_LOAD_TIMEOUT} s")
    if not browser.title.strip():
        problems.append("no title")
    main_text = browser.execute_script(
        "const m = document.querySelector('article') || document.querySelector('main');"
        "return m ? m.innerText : '';"
    )
    if not main_text.strip():
        problems.append("the main content (<article>/<main>) is empty")

    # Chromium asks every host for /favicon.ico when a page declares no icon; the 404 of that
    # request is the test server's, not a link of the site (a declared icon that is missing
    # would be requested by its own path, and is caught here and by test_internal_links).
    favicon = f"{base_url}favicon.ico "
    problems += [
        f"console {e['level']}: {e['message']}"
        for e in browser.get_log("browser")
        if e["level"] == "SEVERE" and not e["message"].startswith(favicon)
    ]
    problems += [
        f"image did not load: {i['src']} (complete={i['complete']}, naturalWidth={i['width']})"
        for i in images
        if not (i["complete"] and i["width"] > 0)
    ]
    if PAGES[page] and not images:
        problems.append("no figure (<img>) in the page's content")
    assert not problems, f"{page}: {len(problems)} problem(s):\n" + "\n".join(problems)


# --- every internal link of the site --------------------------------------------------------

# Attributes that point at another file: href on <a>/<link>, src on images, scripts, frames.
_LINK_ATTRS = {"href", "src"}


@dataclass
class _Page:
    """One parsed HTML file: the anchors it defines and the links it makes."""

    anchors: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = _Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.page.anchors.add(value)
            elif name in _LINK_ATTRS:
                self.page.links.append(value)
            elif name == "srcset":  # "url 1x, url 2x"
                self.page.links += [c.split()[0] for c in value.split(",") if c.strip()]


@functools.cache
def _parse(path: Path) -> _Page:
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser.page


def _is_internal(link: str) -> bool:
    """Whether ``link`` points into the site: relative, with no scheme and no host.

    A static site cannot know the host it is served from, so an absolute http(s) or
    protocol-relative link is external (not checked: the network may be closed), and
    mailto:, data:, javascript: are not files.
    """
    parts = urlsplit(link)
    return not (parts.scheme or parts.netloc)


def _check_link(site: Path, page: Path, link: str) -> str | None:
    """Why ``link`` in ``page`` is broken, or None if it resolves (or is not internal)."""
    if not _is_internal(link):
        return None
    parts = urlsplit(link)
    path = unquote(parts.path)
    if path.startswith("/"):
        target = site / path.lstrip("/")
    elif path:
        target = page.parent / path
    else:
        target = page
    if target.is_dir():
        target = target / "index.html"
    target = Path(os.path.normpath(target))
    if not target.is_relative_to(site):
        return f"points outside the site ({target})"
    if not target.is_file():
        return f"no file {target.relative_to(site)}"
    fragment = unquote(parts.fragment)
    if fragment and target.suffix == ".html" and fragment not in _parse(target).anchors:
        return f"no id or name {fragment!r} in {target.relative_to(site)}"
    return None


def test_internal_links() -> None:
    """Every relative href/src of every HTML file names an existing file and anchor."""
    site = _require_site().resolve()
    # The theme copies its Jinja macros (_static/webpack-macros.html, unrendered "{{ pathto(...) }}"
    # links) into _static: assets, not pages; links INTO _static are still checked from every page.
    pages = sorted(p for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts)
    broken: list[str] = []
    checked = 0
    for page in pages:
        for link in dict.fromkeys(_parse(page).links):  # once each (src and srcset repeat)
            checked += _is_internal(link)
            why = _check_link(site, page, link)
            if why:
                broken.append(f"{page.relative_to(site)}: {link!r}: {why}")
    assert checked, f"no internal links found in the {len(pages)} HTML files of {site}"
    assert not broken, (
        f"{len(broken)} broken internal link(s) of {checked} in {len(pages)} pages of {site}:\n"
        + "\n".join(broken)
    )
