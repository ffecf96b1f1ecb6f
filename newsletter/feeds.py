"""The RSS feed of a newsletter page's published editions: /nieuwsbrief/feed/ and /en/newsletter/feed/."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed


class EditionFeed(Feed):
    feed_type = Rss201rev2Feed
    items_in_feed = 20

    def get_object(self, request, index):
        return index

    def title(self, index):
        return index.title

    def link(self, index):
        return index.url

    def description(self, index):
        return index.search_description or index.title

    def feed_url(self, index):
        return index.feed_url()

    def items(self, index):
        return index.published_editions()[: self.items_in_feed]

    def item_title(self, edition):
        return edition.title

    def item_description(self, edition):
        return edition.preheader or edition.subject

    def item_link(self, edition):
        return edition.url

    def item_pubdate(self, edition):
        return edition.first_published_at

    def get_feed(self, index, request):
        feed = super().get_feed(index, request)
        feed.feed["language"] = index.locale.language_code
        return feed
