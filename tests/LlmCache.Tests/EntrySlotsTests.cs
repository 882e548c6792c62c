using System.Linq;

namespace LlmCache.Tests;

/// <summary>The memory store's dense array of entries, which its evictions read.</summary>
public sealed class EntrySlotsTests
{
    [Fact]
    public void A_removed_item_s_slot_goes_to_the_next_item_and_the_array_grows_past_its_first_size()
    {
        var slots = new EntrySlots<string>();
        int[] filed = Enumerable.Range(0, 100).Select(i => slots.Add("item" + i)).ToArray();
        Assert.Equal(100, filed.Distinct().Count());

        slots.Remove(filed[42]);
        Assert.Equal(filed[42], slots.Add("next"));
        Assert.Equal(100, slots.Slots);

        string?[] items = new string?[128];
        Assert.Equal(100, slots.CopyTo(items));
        Assert.Equal(Enumerable.Range(0, 100).Where(i => i != 42).Select(i => "item" + i).Append("next").Order(), items.Take(100).Order());
    }

    [Fact]
    public void A_copy_takes_no_more_items_than_its_buffer_holds_and_skips_free_slots()
    {
        var slots = new EntrySlots<string>();
        for (int i = 0; i < 10; i++)
        {
            slots.Add("item" + i);
        }

        slots.Remove(0);
        string?[] items = new string?[4];
        Assert.Equal(4, slots.CopyTo(items));
        Assert.Equal(new string?[] { "item1", "item2", "item3", "item4" }, items);
    }
}
