import asyncio


async def worker():
    for _ in range(10):
        await asyncio.sleep(0)


async def main():
    await asyncio.gather(*(worker() for _ in range(10_000)))


asyncio.run(main())
