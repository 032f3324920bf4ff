"""Counting with asyncio: three count() coroutines wait for their second together."""

import asyncio
import time


async def count():
    print("One")
    await asyncio.sleep(1)
    print("Two")


async def main():
    await asyncio.gather(count(), count(), count())


if __name__ == "__main__":
    start = time.perf_counter()
    asyncio.run(main())
    elapsed = time.perf_counter() - start
    print(f"countasync.py executed in {elapsed:0.2f} seconds.")
