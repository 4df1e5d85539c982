"""The ground floor every stage may use: the institution registry and its vocabularies.

- ``organizations``: ROR records with name, acronym, domain and token indexes.
- ``text``: the one name normalization the registry and every lookup share.
- ``countries``: ISO 3166 countries from addresses and e-mail domains.
- ``aliases``: the curated layer of labs and companies the registry lacks.
- ``emails``: finding and stripping e-mail addresses as printed.
- ``vocab``: the word lists that say what a text is (institution words, sub-units, noise).

Nothing here imports from a pipeline stage (extract, normalize, llm, ...).
"""
