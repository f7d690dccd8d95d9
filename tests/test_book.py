"""The book builds with warnings as errors, and its pages work in a real browser.

The browser test serves _build/html on 127.0.0.1 and opens every page in headless Chromium:
math is typeset by the local MathJax, every image loads, the console has no errors, internal
links resolve (anchors included), and each chapter's Colab and Binder links open
notebooks/<chapter>.ipynb. In CI a missing browser fails the test; elsewhere it skips.
"""
import functools
import html.parser
import http.server
import os
import re
import shutil
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import ROOT, chapter_pages, toc_pages

pytestmark = pytest.mark.xdist_group("book")  # one worker builds the book and browses it


def test_book_builds_and_has_every_page(built_book):
    assert (built_book / "index.html").is_file()
    for page in toc_pages():
        assert (built_book / "book" / f"{page}.html").is_file(), f"no page for {page}"


def test_reproduced_errors_show_one_line_each(built_book):
    """Each expect_error call in a page prints its one 'as expected' line in the built page
    (the errors the book reproduces really happened when the page was executed)."""
    from bs4 import BeautifulSoup

    for page in chapter_pages():
        source = (ROOT / "book" / f"{page}.md").read_text(encoding="utf-8")
        calls = len(re.findall(r"^\s*(?:\w+ = )?expect_error\(", source, flags=re.M))
        text = (built_book / "book" / f"{page}.html").read_text(encoding="utf-8")
        outputs = " ".join(div.get_text(" ") for div in
                           BeautifulSoup(text, "html.parser").select(".cell_output"))
        shown = outputs.count(", as expected: ...")
        assert shown == calls, (f"{page}: {calls} expect_error calls, but {shown} "
                                "'as expected' lines in the cell outputs of the built page")
        assert 'class="output traceback' not in text, f"{page} shows a traceback"


def test_book_serves_mathjax_locally(built_book):
    page = (built_book / "book" / "intro.html").read_text(encoding="utf-8")
    assert 'src="../_static/mathjax/tex-chtml.js' in page
    assert (built_book / "_static" / "mathjax" / "tex-chtml.js").is_file()
    assert "cdn.jsdelivr.net" not in page and "mathjax@3" not in page


def test_pages_load_no_script_from_the_internet(built_book):
    """The book must work offline: every script is served from _static."""
    for page in toc_pages():
        text = (built_book / "book" / f"{page}.html").read_text(encoding="utf-8")
        remote = re.findall(r'<script[^>]+src="(https?://[^"]+)"', text)
        assert not remote, f"{page} loads scripts from the internet: {remote}"


def find_browser():
    """(chromium, chromedriver) paths, from DLMATH_CHROME / DLMATH_CHROMEDRIVER or PATH."""
    chrome = os.environ.get("DLMATH_CHROME") or next(
        filter(None, map(shutil.which, ["chromium", "chromium-browser", "google-chrome"])), None)
    driver = os.environ.get("DLMATH_CHROMEDRIVER") or shutil.which("chromedriver")
    return chrome, driver


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


@pytest.fixture(scope="module")
def site(built_book):
    """The built book served over HTTP on 127.0.0.1; yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(built_book))
    server = Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    chrome, driver = find_browser()
    if not (chrome and driver):
        message = ("headless Chromium and chromedriver are needed for the browser test "
                   "(Debian: apt-get install chromium chromium-driver)")
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must have them")
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chrome
    profile = tempfile.mkdtemp(prefix="dlmath-chrome-")
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}", "--window-size=1280,900"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    drv.set_script_timeout(60)
    drv.set_page_load_timeout(60)
    yield drv
    drv.quit()
    shutil.rmtree(profile, ignore_errors=True)


class Ids(html.parser.HTMLParser):
    """Collects the id attributes of an HTML page."""

    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(v for k, v in attrs if k == "id" and v)


@functools.cache
def fetch_ids(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        parser = Ids()
        parser.feed(response.read().decode("utf-8", errors="replace"))
        return frozenset(parser.ids)


WAIT_FOR_MATHJAX = """
const done = arguments[arguments.length - 1];
const source = document.querySelectorAll('.math').length;
if (!window.MathJax || !MathJax.startup) { done({loaded: false, source: source}); return; }
MathJax.startup.promise.then(() => done({
  loaded: true,
  typeset: document.querySelectorAll('mjx-container').length,
  errors: document.querySelectorAll('mjx-merror').length,
  source: source,
}));
"""

IMAGES = """
return Array.from(document.images).map(i => ({src: i.src, ok: i.complete && i.naturalWidth > 0}));
"""


@pytest.mark.parametrize("page", toc_pages())
def test_page_in_browser(page, site, browser):
    url = urllib.parse.urljoin(site, f"book/{page}.html")
    browser.get(url)
    math = browser.execute_async_script(WAIT_FOR_MATHJAX)
    problems = []
    if math["source"] and not math["loaded"]:
        problems.append("the page has math but MathJax did not load")
    elif math["source"] and (math["typeset"] == 0 or math["errors"]):
        problems.append(f"math not typeset: {math}")
    problems += [f"image does not load: {i['src']}" for i in browser.execute_script(IMAGES)
                 if not i["ok"]]
    problems += [f"console: {entry['message']}" for entry in browser.get_log("browser")
                 if entry["level"] == "SEVERE"]
    links = browser.execute_script("return Array.from(document.links).map(a => a.href);")
    for link in sorted(set(links)):
        if not link.startswith(site):
            continue
        target, _, fragment = link.partition("#")
        try:
            ids = fetch_ids(target)
        except urllib.error.URLError as err:
            problems.append(f"broken link {link}: {err}")
            continue
        if fragment and urllib.parse.unquote(fragment) not in ids:
            problems.append(f"broken anchor {link}")
    assert not problems, f"{page}: " + "; ".join(problems)
    if page in chapter_pages():
        colab = [a for a in links if "colab.research.google.com" in a]
        binder = [a for a in links if "mybinder.org" in a]
        assert colab and all(a.endswith(f"/notebooks/{page}.ipynb") for a in colab), colab
        assert binder and all(a.endswith(f"notebooks/{page}.ipynb") for a in binder), binder


def test_math_is_typeset_on_the_intro(site, browser):
    browser.get(urllib.parse.urljoin(site, "book/intro.html"))
    math = browser.execute_async_script(WAIT_FOR_MATHJAX)
    assert math["loaded"] and math["typeset"] >= 10 and math["errors"] == 0, math
