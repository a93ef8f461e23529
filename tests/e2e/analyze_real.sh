#!/bin/sh
# The checks of analyze_corpus.sh over tests/data/real: real logs from public threads outside
# the corpus, labelled by the same conventions (tests/data/real/INDEX.md).
BT_CORPUS=tests/data/real
export BT_CORPUS
. tests/e2e/analyze_corpus.sh
