"""Extensions: what a crawl records about itself (its run, its summary, its JOBDIR)."""
