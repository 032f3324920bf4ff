"""Counting without asyncio: each count() blocks the whole program for a second."""

import time


def count():
    print("One")
    time.sleep(1)
    print("Two")


def main():
    for _ in range(3):
        count()


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    elapsed = time.perf_counter() - start
    print(f"countsync.py executed in {elapsed:0.2f} seconds.")
