import { asciiFileName } from '@/lib/export';
import { exportFrameworkAs, parseExportQuery } from '@/lib/services/export';
import { handleReviewRoute, liveDocuments } from '../route-support';

type Context = { params: Promise<{ groupId: string; frameworkId: string }> };

/** Downloads the framework: ?format=docx|pdf|md|html&agreedOnly=1&comments=1&version=<id>. */
export async function GET(request: Request, { params }: Context): Promise<Response> {
  return handleReviewRoute('framework.export', async ({ db, userId }) => {
    const { groupId, frameworkId } = await params;
    const query = parseExportQuery(new URL(request.url).searchParams);
    const target = { workspaceId: groupId, frameworkId };
    const file = await exportFrameworkAs(db, liveDocuments(), userId, target, query);
    // RFC 6266: an ASCII fallback name plus the UTF-8 one (the name keeps only letters, digits,
    // "." "_" "-", so neither needs quoting beyond this).
    const disposition = `attachment; filename="${asciiFileName(file.fileName)}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`;
    return new Response(Buffer.from(file.bytes), {
      headers: {
        'Content-Type': file.contentType,
        'Content-Disposition': disposition,
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });
}
