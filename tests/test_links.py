"""Every link a reader can follow answers: a bounded crawl from the home page (both interface
languages) and the API description, through the pages' own links, finds no 5xx and no 404.
This found /read/entities/<id> answering 500 after the registers moved their JSON twin."""

import re
from collections import deque

LIMIT = 250  # pages: enough to reach every kind of page of our tei/ from the home page


def test_no_link_of_the_edition_leads_to_an_error(client):
    seen, bad = set(), []
    queue = deque(["/", "/?ui=lv", "/api"])
    while queue and len(seen) < LIMIT:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        r = client.get(url)
        if r.status_code >= 500 or r.status_code == 404:
            bad.append((r.status_code, url))
        if r.mimetype == "text/html":
            for href in re.findall(r'href="(/[^"#]*)', r.get_data(as_text=True)):
                href = href.replace("&amp;", "&")
                if not href.startswith("/static") and href not in seen:
                    queue.append(href)
    assert len(seen) > 100 and not bad, bad[:10]
