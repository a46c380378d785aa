"""Token kinds (uint8 codes in :attr:`tone.text.TokenBatch.kind`), shared by the Python
driver and the Numba kernel.

>>> KIND_NAMES[EMOJI]
'EMOJI'
"""
WORD = 1
PUNCT = 2
NUM = 3
URL = 4
EMAIL = 5
MENTION = 6
HASHTAG = 7
EMOJI = 8
EMOTICON = 9
SYMBOL = 10
KIND_NAMES = {WORD: "WORD", PUNCT: "PUNCT", NUM: "NUM", URL: "URL", EMAIL: "EMAIL",
              MENTION: "MENTION", HASHTAG: "HASHTAG", EMOJI: "EMOJI", EMOTICON: "EMOTICON",
              SYMBOL: "SYMBOL"}
