// The status page a letter's QR code opens, in Vietnamese, for the citizen holding the letter.
import type { Child } from "hono/jsx";
import { dateOnly, dateTime, STATE_LABELS } from "../../format/vietnamese.js";
import type { StatusFacts } from "./facts.js";

function Page(props: { title: string; children: Child }) {
  return (
    <html lang="vi">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} · Tra cứu hồ sơ`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/console/assets/console.css" />
      </head>
      <body>
        <main class="page">{props.children}</main>
      </body>
    </html>
  );
}

const Row = (props: { label: string; children: Child }) => (
  <tr>
    <th scope="row">{props.label}</th>
    <td>{props.children}</td>
  </tr>
);

function Verification(props: { letter: StatusFacts["letter"] }) {
  const { letter } = props;
  const signature = letter.signature;
  return (
    <section>
      <h2>Xác thực phiếu xin lỗi</h2>
      <p>
        So sánh mã SHA-256 của tệp PDF anh/chị nhận được với mã dưới đây: trùng khớp là tệp do cơ quan phát
        hành.
      </p>
      <table>
        <tbody>
          <Row label="Số phiếu">{letter.number}</Row>
          <Row label="Ngày phát hành">{dateOnly(letter.issuedAt)}</Row>
          <Row label="Phiên bản">{String(letter.version)}</Row>
          <Row label="SHA-256 của tệp">
            <code>{letter.sha256}</code>
          </Row>
          {signature ? (
            <>
              <Row label="Chữ ký số">{`${signature.signerName}${signature.organization ? ` — ${signature.organization}` : ""}`}</Row>
              <Row label="Tổ chức cấp chứng thư">{signature.issuer}</Row>
              <Row label="Thời gian ký">{dateTime(signature.signedAt)}</Row>
            </>
          ) : (
            <Row label="Chữ ký số">Phiếu không có chữ ký số</Row>
          )}
        </tbody>
      </table>
    </section>
  );
}

export function StatusPage(props: { facts: StatusFacts }) {
  const { facts } = props;
  return (
    <Page title={facts.dossierCode}>
      <h1>Tình trạng hồ sơ</h1>
      <table>
        <tbody>
          <Row label="Mã hồ sơ">{facts.dossierCode}</Row>
          <Row label="Thủ tục">{facts.procedureName}</Row>
          <Row label="Cơ quan giải quyết">{facts.agencyName}</Row>
          <Row label="Ngày tiếp nhận">{dateTime(facts.receivedAt)}</Row>
          <Row label="Hạn trả kết quả">{dateTime(facts.bindingDueAt)}</Row>
          {facts.newDueAt ? (
            <Row label="Ngày hẹn trả mới (theo phiếu xin lỗi)">{dateTime(facts.newDueAt)}</Row>
          ) : null}
          <Row label="Tình trạng">{STATE_LABELS[facts.state]}</Row>
          <Row label="Kết quả">
            {facts.resultReady ? `Đã có kết quả (${dateTime(facts.finishedAt)})` : "Chưa có kết quả"}
          </Row>
        </tbody>
      </table>
      <Verification letter={facts.letter} />
      <section>
        <h2>Liên hệ</h2>
        <p>{facts.agencyName}</p>
        {facts.agencyAddress ? <p>Địa chỉ: {facts.agencyAddress}</p> : null}
        {facts.feedbackUrl ? (
          <p>
            <a href={facts.feedbackUrl} rel="noopener noreferrer">
              Gửi phản ánh, kiến nghị
            </a>
          </p>
        ) : null}
      </section>
    </Page>
  );
}

export function NotFoundPage() {
  return (
    <Page title="Không tìm thấy">
      <h1>Không tìm thấy</h1>
      <p>Đường dẫn tra cứu không đúng, hoặc đã được thu hồi khi phiếu được đính chính.</p>
    </Page>
  );
}

export function TooManyPage(props: { seconds: number }) {
  return (
    <Page title="Quá nhiều lượt tra cứu">
      <h1>Quá nhiều lượt tra cứu</h1>
      <p>{`Vui lòng thử lại sau ${props.seconds} giây.`}</p>
    </Page>
  );
}
