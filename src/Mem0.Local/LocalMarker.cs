namespace Mem0.Local;

internal static class LocalMarker;
