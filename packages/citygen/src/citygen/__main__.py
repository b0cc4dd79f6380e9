"""`python -m citygen generate …` / `python -m citygen evaluate …`."""

from citygen.cli import main

main()
