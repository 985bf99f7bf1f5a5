"""Sphinx configuration of the one docs site (`make docs`): the module reference and the guides.

`make docs` writes the module reference with antsibull-docs into the source directory (the collection's page
becomes reference.rst), then runs sphinx-build with this directory as its configuration directory. Before Sphinx
reads anything, ``add_markdown_pages`` puts the Markdown pages next to the reference: docs/*.md, and
CONTRIBUTING.md from the repository root as contributing.md when it exists (then listed in the index's
navigation too). Their links are rewritten for the site: a link to another of these pages stays a link
between pages; a link to any other file of the repository points at that file on the repository's web site
(galaxy.yml: repository), so a page written for GitHub needs no edit to be part of the site.
"""

import glob
import os
import posixpath
import re

import yaml

DOCS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(DOCS)
with open(os.path.join(REPO, "galaxy.yml"), encoding="utf-8") as _handle:
    GALAXY = yaml.safe_load(_handle)

project = "%s.%s" % (GALAXY["namespace"], GALAXY["name"])
release = version = str(GALAXY["version"])
html_title = "%s %s" % (project, version)
html_short_title = project
root_doc = "index"

extensions = ["sphinx_antsibull_ext", "myst_parser"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
myst_heading_anchors = 4  # GitHub's anchors (#migrating-from-assistants-to-conversations) work on the site
myst_enable_extensions = ["colon_fence"]
pygments_style = "ansible"
highlight_language = "YAML+Jinja"

html_theme = "sphinx_ansible_theme"
html_theme_options = {"collapse_navigation": False, "analytics_id": "", "swift_id": "", "hubspot_id": "",
                      "topbar_links": {}}
html_show_sphinx = False
html_copy_source = False
html_use_index = False
html_static_path = []
# ref.ref: the reference links to Ansible's own docs (ansible.builtin, the guides) by label; those sites are not
# reachable here (no intersphinx).
suppress_warnings = ["ref.ref"]

# page of the site -> the file of the repository it comes from
MARKDOWN_PAGES = {os.path.basename(path): os.path.relpath(path, REPO)
                  for path in sorted(glob.glob(os.path.join(DOCS, "*.md")))}
MARKDOWN_PAGES["index.md"] = os.path.relpath(os.path.join(DOCS, "site", "index.md"), REPO)
if os.path.isfile(os.path.join(REPO, "CONTRIBUTING.md")):
    MARKDOWN_PAGES["contributing.md"] = "CONTRIBUTING.md"
LINK = re.compile(r"(\]\()([^)\s#]+)(#[^)\s]*)?(\))")


def site_link(source, target):
    """Where a relative link of the repository file `source` to `target` points on the site."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("/"):
        return target  # a URL (https:, mailto:) or an absolute path: as written
    path = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
    for page, origin in MARKDOWN_PAGES.items():
        if origin == path:
            return page
    return "%s/blob/main/%s" % (GALAXY["repository"].rstrip("/"), path)


def add_markdown_pages(app, _config):
    for page, origin in MARKDOWN_PAGES.items():
        with open(os.path.join(REPO, origin), encoding="utf-8") as handle:
            text = handle.read()
        text = LINK.sub(lambda m: m.group(1) + site_link(origin, m.group(2)) + (m.group(3) or "") + m.group(4), text)
        if page == "index.md" and "contributing.md" in MARKDOWN_PAGES:
            text += "\n```{toctree}\n:maxdepth: 1\n:caption: Project\n\ncontributing\n```\n"
        with open(os.path.join(app.srcdir, page), "w", encoding="utf-8") as handle:
            handle.write(text)


def setup(app):
    app.connect("config-inited", add_markdown_pages)
