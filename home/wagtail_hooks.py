from wagtail import hooks


@hooks.register("on_serve_page")
def mark_pages_for_the_cache(serve):
    """Marks a served page as one the page cache may keep (home.middleware decides whether it does).

    A page behind a view restriction only reaches this point for a visitor who passed it, and passing is kept in
    the session: the cache never answers or stores a request with a session cookie.
    """

    def serve_and_mark(page, request, args, kwargs):
        response = serve(page, request, args, kwargs)
        response.is_public_page = True
        return response

    return serve_and_mark
