"""The event bus: every subscriber hears each event once; a slow one loses the oldest."""

from __future__ import annotations

from hub.events import QUEUE_SIZE, EventBus, ProfileChanged


def change(n: int) -> ProfileChanged:
    return ProfileChanged(f"p{n}", "updated", "sync", "auto")


async def test_fan_out_and_drop_oldest_for_a_slow_subscriber() -> None:
    bus = EventBus()
    async with bus.subscribe() as fast, bus.subscribe() as slow:
        assert bus.subscribers == 2
        bus.publish(change(0))
        assert fast.queue.get_nowait() == change(0)
        for n in range(1, QUEUE_SIZE + 6):
            bus.publish(change(n))
        assert slow.dropped == 6
        assert slow.queue.qsize() == QUEUE_SIZE
        assert slow.queue.get_nowait() == change(6)  # 0..5 dropped, the newest kept
        assert fast.dropped == 5
    assert bus.subscribers == 0
    bus.publish(change(99))  # no subscriber: nothing to do, nothing raised
