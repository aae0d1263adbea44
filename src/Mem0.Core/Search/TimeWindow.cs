using System.Globalization;
using System.Text.RegularExpressions;

namespace Mem0.Core.Search;

/// <summary>
/// The period a query names — "on 3 June, 2023", "in July 2023", "in August", "in 2022", "yesterday", "last week",
/// "two months ago" — as a test on a memory's <c>created_at</c>. Used to favour memories from then, never to drop
/// others: people misremember dates, and an event is often told about days after it happened.
/// </summary>
public sealed partial record TimeWindow
{
    private static readonly string[] MonthNames =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    /// <summary>Inclusive start (UTC), or null with <see cref="Month"/> for "any year".</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>Exclusive end (UTC).</summary>
    public DateTimeOffset? End { get; init; }

    /// <summary>A month of any year (1-12), for "in July" without a year.</summary>
    public int? Month { get; init; }

    public bool Contains(DateTimeOffset time)
    {
        if (Month is { } month)
        {
            return time.UtcDateTime.Month == month;
        }

        return time >= Start && time < End;
    }

    /// <summary>The period named in <paramref name="query"/>, relative ones counted back from <paramref name="today"/>; null when none.</summary>
    public static TimeWindow? Parse(string? query, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return null;
        }

        var text = query.ToLowerInvariant();
        var iso = IsoDate().Match(text);
        if (iso.Success && TryDate(Int(iso.Groups["y"]), Int(iso.Groups["m"]), Int(iso.Groups["d"]), out var isoDate))
        {
            return AroundDay(isoDate);
        }

        var monthDay = MonthDayYear().Match(text);
        if (monthDay.Success && TryDate(Year(monthDay.Groups["y"], today), MonthNumber(monthDay.Groups["month"].Value), Int(monthDay.Groups["d"]), out var date))
        {
            return AroundDay(date);
        }

        var dayMonth = DayMonthYear().Match(text);
        if (dayMonth.Success && TryDate(Year(dayMonth.Groups["y"], today), MonthNumber(dayMonth.Groups["month"].Value), Int(dayMonth.Groups["d"]), out date))
        {
            return AroundDay(date);
        }

        var monthYear = MonthYear().Match(text);
        if (monthYear.Success)
        {
            var start = new DateOnly(Int(monthYear.Groups["y"]), MonthNumber(monthYear.Groups["month"].Value), 1);
            return Between(start, start.AddMonths(1));
        }

        var relative = Relative(text, today);
        if (relative is not null)
        {
            return relative;
        }

        // "in May" is too ambiguous with the verb; a bare month needs "in", "during", "since" or "of" before it.
        var month = BareMonth().Match(text);
        if (month.Success)
        {
            return new TimeWindow { Month = MonthNumber(month.Groups["month"].Value) };
        }

        var year = BareYear().Match(text);
        if (year.Success)
        {
            var start = new DateOnly(Int(year.Groups["y"]), 1, 1);
            return Between(start, start.AddYears(1));
        }

        return null;
    }

    private static TimeWindow? Relative(string text, DateOnly today)
    {
        if (Contains(text, "yesterday"))
        {
            return Between(today.AddDays(-2), today);
        }

        if (Contains(text, "today") || Contains(text, "tonight"))
        {
            return Between(today.AddDays(-1), today.AddDays(1));
        }

        if (Contains(text, "last week") || Contains(text, "last weekend") || Contains(text, "past week"))
        {
            return Between(today.AddDays(-14), today.AddDays(1));
        }

        if (Contains(text, "this week"))
        {
            return Between(today.AddDays(-7), today.AddDays(1));
        }

        if (Contains(text, "last month") || Contains(text, "past month"))
        {
            var start = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
            return Between(start, today.AddDays(1));
        }

        if (Contains(text, "this month"))
        {
            return Between(new DateOnly(today.Year, today.Month, 1), today.AddDays(1));
        }

        if (Contains(text, "last year") || Contains(text, "past year"))
        {
            return Between(new DateOnly(today.Year - 1, 1, 1), today.AddDays(1));
        }

        if (Contains(text, "this year"))
        {
            return Between(new DateOnly(today.Year, 1, 1), today.AddDays(1));
        }

        if (Contains(text, "recently") || Contains(text, "lately"))
        {
            return Between(today.AddDays(-30), today.AddDays(1));
        }

        var ago = Ago().Match(text);
        if (ago.Success)
        {
            var count = ago.Groups["n"].Value switch
            {
                "a" or "an" or "one" => 1,
                "two" or "couple of" => 2,
                "three" or "few" => 3,
                "four" => 4,
                "five" => 5,
                "six" => 6,
                var digits => int.Parse(digits, CultureInfo.InvariantCulture),
            };
            var days = ago.Groups["unit"].Value switch
            {
                "day" => 1,
                "week" => 7,
                "month" => 30,
                _ => 365,
            } * Math.Min(count, 100);

            // Half a unit either side: "two weeks ago" is not to the day.
            var half = Math.Max(1, days / (2 * Math.Max(count, 1)));
            var center = today.AddDays(-days);
            return Between(center.AddDays(-half), center.AddDays(half + 1));
        }

        return null;
    }

    /// <summary>A day and one either side: the memory of an event is often stored the day after, or dated in another time zone.</summary>
    private static TimeWindow AroundDay(DateOnly day) => Between(day.AddDays(-1), day.AddDays(2));

    private static TimeWindow Between(DateOnly start, DateOnly end) => new()
    {
        Start = new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        End = new DateTimeOffset(end.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
    };

    private static bool Contains(string text, string phrase)
    {
        var index = text.IndexOf(phrase, StringComparison.Ordinal);
        while (index >= 0)
        {
            var before = index == 0 || !char.IsLetter(text[index - 1]);
            var after = index + phrase.Length == text.Length || !char.IsLetter(text[index + phrase.Length]);
            if (before && after)
            {
                return true;
            }

            index = text.IndexOf(phrase, index + 1, StringComparison.Ordinal);
        }

        return false;
    }

    private static bool TryDate(int year, int month, int day, out DateOnly date)
    {
        date = default;
        if (year is < 1900 or > 2200 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    private static int MonthNumber(string name) => Array.FindIndex(MonthNames, m => name.StartsWith(m[..3], StringComparison.Ordinal)) + 1;

    private static int Int(Group group) => int.Parse(group.Value, CultureInfo.InvariantCulture);

    private static int Year(Group group, DateOnly today) => group.Success ? Int(group) : today.Year;

    private const string MonthPattern = "(?<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

    [GeneratedRegex(@"\b(?<y>(?:19|20|21)\d\d)-(?<m>\d\d)-(?<d>\d\d)\b")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"\b" + MonthPattern + @"\.?\s+(?<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?<y>(?:19|20|21)\d\d)\b)?")]
    private static partial Regex MonthDayYear();

    [GeneratedRegex(@"\b(?<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + MonthPattern + @"\b\.?(?:,?\s+(?<y>(?:19|20|21)\d\d)\b)?")]
    private static partial Regex DayMonthYear();

    [GeneratedRegex(@"\b" + MonthPattern + @"\b\.?,?\s+(?:of\s+)?(?<y>(?:19|20|21)\d\d)\b")]
    private static partial Regex MonthYear();

    [GeneratedRegex(@"\b(?:in|during|since|of|early|late|mid)\s+" + MonthPattern + @"\b")]
    private static partial Regex BareMonth();

    [GeneratedRegex(@"\b(?<y>(?:19|20|21)\d\d)\b")]
    private static partial Regex BareYear();

    [GeneratedRegex(@"\b(?<n>\d{1,3}|a|an|one|two|three|four|five|six|few|couple of)\s+(?<unit>day|week|month|year)s?\s+ago\b")]
    private static partial Regex Ago();
}
