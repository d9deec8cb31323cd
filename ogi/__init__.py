"""``ogi``: the command line in front of the archive's parts that are not Scrapy's own."""
