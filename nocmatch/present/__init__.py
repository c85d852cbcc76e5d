"""How results are shown: the terminal report and its console (the review page is :mod:`nocmatch.review`)."""
