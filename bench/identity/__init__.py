"""Identity-resolution benchmarks: labelled data sets, pairwise metrics and the Splink peer.

Not part of the installed package: the scripts in ``bench/`` import it as ``identity`` (their own
folder is on ``sys.path``), the tests as ``bench.identity``; modules here import each other
relatively so both work.
"""
