using System.Linq;

namespace LlmCache.Tests;

/// <summary>The memory store's dense table of entries, last uses and expiries, which its evictions scan.</summary>
public sealed class RecencyTableTests
{
    [Fact]
    public void A_scan_gives_the_live_items_with_their_last_use_and_the_expired_ones_apart()
    {
        var table = new RecencyTable<string>();
        int a = table.Add("a", lastUse: 10, expiry: 100);
        int b = table.Add("b", lastUse: 20, expiry: 50);
        int c = table.Add("c", lastUse: 30, expiry: long.MaxValue);
        table.Touch(a, 40);

        string?[] items = new string?[8];
        long[] lastUse = new long[8];
        (int live, int expiredFrom) = table.Scan(items, lastUse, now: 60);

        Assert.Equal(2, live);
        Assert.Equal(new[] { ("a", 40L), ("c", 30L) }, items.Take(live).Zip(lastUse.Take(live), (item, use) => (item!, use)).OrderBy(x => x.Item1));
        Assert.Equal(new string?[] { "b" }, items.Skip(expiredFrom));
        Assert.NotEqual(a, b);
        Assert.NotEqual(b, c);
    }

    [Fact]
    public void A_removed_item_s_slot_goes_to_the_next_item_and_the_table_grows_past_its_first_size()
    {
        var table = new RecencyTable<string>();
        int[] slots = Enumerable.Range(0, 100).Select(i => table.Add("item" + i, i, long.MaxValue)).ToArray();
        Assert.Equal(100, slots.Distinct().Count());

        table.Remove(slots[42]);
        Assert.Equal(slots[42], table.Add("next", 1_000, long.MaxValue));
        Assert.Equal(100, table.Slots);

        string?[] items = new string?[128];
        long[] lastUse = new long[128];
        (int live, int expiredFrom) = table.Scan(items, lastUse, now: 0);
        Assert.Equal(100, live);
        Assert.Equal(128, expiredFrom);
        Assert.Contains("next", items);
        Assert.DoesNotContain("item42", items);
        Assert.Equal(Enumerable.Range(0, 100).Where(i => i != 42).Select(i => (long)i).Append(1_000).Order(), lastUse.Take(live).Order());
    }

    [Fact]
    public void A_scan_copies_no_more_than_its_buffers_hold()
    {
        var table = new RecencyTable<string>();
        for (int i = 0; i < 10; i++)
        {
            table.Add("item" + i, i, expiry: i < 5 ? 0 : long.MaxValue);
        }

        string?[] items = new string?[4];
        (int live, int expiredFrom) = table.Scan(items, new long[4], now: 1);

        Assert.Equal(0, live);
        Assert.Equal(0, expiredFrom);
        Assert.All(items, item => Assert.NotNull(item));
    }

    [Fact]
    public void A_use_of_a_slot_the_table_never_had_is_ignored()
    {
        var table = new RecencyTable<string>();
        table.Touch(1_000_000, 5);
        table.Touch(-1, 5);
        Assert.Equal(0, table.Slots);
    }
}
