"""Steps the browser tests share."""


def click_and_wait(page, target):
    """Click something that loads a new page; return once that page has loaded.

    A page's scripts are deferred: a test that acts on the next page before its
    load event can beat the listeners (an auto-submitting select, the menu).
    Waiting here also keeps a following goto() from cancelling the request.
    """
    with page.expect_navigation(wait_until="load"):
        target.click()
