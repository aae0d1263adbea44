using Mem0.Core.Projects;

namespace Mem0.Core.Extraction;

/// <summary>The categories assigned when neither the request nor the project defines its own.</summary>
public static class DefaultCategories
{
    public static IReadOnlyList<CustomCategory> All { get; } =
    [
        new("personal_details", "Name, age, where they live, languages, identity"),
        new("family", "Family members, partners, children, pets and relationships"),
        new("professional_details", "Job, employer, role, skills, career and education"),
        new("sports", "Sports played or followed, teams, fitness activities"),
        new("travel", "Trips, places visited or planned, travel preferences"),
        new("food", "Diet, cuisines, dishes, restaurants, allergies to food"),
        new("music", "Artists, genres, instruments, concerts"),
        new("health", "Health conditions, medication, wellbeing, exercise routines"),
        new("technology", "Devices, software, programming, tools used"),
        new("hobbies", "Pastimes, crafts, games, reading and other interests"),
        new("fashion", "Clothing, style and brands"),
        new("entertainment", "Films, series, books, shows and media"),
        new("milestones", "Important events, achievements, anniversaries and dates"),
        new("user_preferences", "Likes, dislikes and how they want things done"),
        new("misc", "Anything that fits no other category"),
    ];
}
